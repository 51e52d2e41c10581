package org.gupsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gupsim explore}: runs a scenario under many interleavings and reports the verdict. */
@Command(name = "explore", sortOptions = false,
        customSynopsis = {
            "gupsim explore SCENARIO [--arch A[:V]] [--kernel K] [--patch P[+P...]]...",
            "              [--param k=v]... [--strategy exhaustive|random|pct] [--seed N]",
            "              [--schedules N] [--preemption-bound N] [--depth D] [--threads N] [--json]"},
        description = {
            "Explore a scenario's interleavings on a simulated machine and check the kernel's invariants.",
            "",
            "Each CPU of the scenario runs its program; at every shared-memory access the strategy picks "
                    + "which CPU (or the RCU thread) runs next. The model's checkers (use-after-free, refcounts, "
                    + "pins, locking, deadlock) judge every execution.",
            "",
            "Prints a header with the inputs, the verdict (e.g. 'SAFE (exhausted, 99 schedules, 0.4 s)' or "
                    + "'VIOLATION: USE_AFTER_FREE: ...'), the table of outcomes of the executions that finished, "
                    + "the scenario's explanation of the outcomes (e.g. what a guest sees), "
                    + "and for a violation its trace (one column per CPU and one for the RCU thread, the "
                    + "violating step marked <==) and the 'gupsim replay' command that reproduces it.",
            ""},
        footer = {"",
            "Exit codes: 0 SAFE, 1 VIOLATION or DEADLOCK, 2 bad input.",
            "JSON fields: scenario, params, arch, variant, kernel, patches, strategy, seed, depth, preemptionBound, "
                    + "maxSchedules, verdict (SAFE|VIOLATION|DEADLOCK), exhausted, schedules, pruned, stepBudget, "
                    + "outOfBudget (executions cut off by the step budget: no verdict), outcomes "
                    + "(outcome -> count), explanations (outcome -> lines saying what it means, where the "
                    + "scenario has any), violation (null, or kind, message, schedule, trace: rows of step, "
                    + "thread, function, access, object, note). No timings: the same inputs give the same bytes.",
            "Scenarios, their parameters, kernels, features, patches and strategies: gupsim list."})
final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    MachineOptions machine;

    @Mixin
    StrategyOptions strategy;

    @Option(names = "--schedules", paramLabel = "N",
            description = "Most executions to run (default: " + StrategyOptions.DEFAULT_SAMPLED_SCHEDULES
                    + " for random and pct; 1000000 for exhaustive, which then stops early and says 'not exhausted').")
    String schedules;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of an exhaustive search, 1 to " + ExploreOptions.MAX_THREADS
                    + " (default: the number of processors). The result is the same for any N; random and pct "
                    + "run on one.")
    String threads;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        ScenarioChoice what = scenario.resolve(machine);
        StrategyChoice how = strategy.resolve(schedules);
        long start = System.nanoTime();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors()
                : (int) StrategyOptions.number("--threads", threads, 1, ExploreOptions.MAX_THREADS);
        ExplorationResult result = what.exploration().explore(how.strategy(), how.options().withThreads(workers),
                new ExploreControl());
        double seconds = (System.nanoTime() - start) / 1e9;
        ExploreReport report = new ExploreReport(what, how, result);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toJson());
        } else {
            out.print(report.toText(seconds));
        }
        out.flush();
        return report.exitCode();
    }
}
