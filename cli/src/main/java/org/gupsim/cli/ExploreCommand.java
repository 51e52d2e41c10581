package org.gupsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.List;
import java.util.Locale;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.SearchShard;
import org.gupsim.explore.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gupsim explore}: runs a scenario under many interleavings and reports the verdict. */
@Command(name = "explore", sortOptions = false,
        customSynopsis = {
            "gupsim explore SCENARIO [--arch A[:V]] [--kernel K] [--patch P[+P...]]...",
            "              [--param k=v]... [--strategy exhaustive|random|pct] [--seed N]",
            "              [--schedules N] [--preemption-bound N] [--depth D] [--threads N]",
            "              [--shard I/N] [--memory-model sc|tso|arm64|power|arch] [--json]"},
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
            "Exit codes: 0 SAFE, 1 VIOLATION or DEADLOCK, 2 bad input, 130 interrupted (Ctrl-C: the partial "
                    + "result is printed, marked as such).",
            "JSON fields: scenario, params, arch, variant, kernel, patches, memoryModel (unless sc: the model's "
                    + "name), strategy, seed, depth, preemptionBound, "
                    + "maxSchedules, verdict (SAFE|VIOLATION|DEADLOCK), exhausted, schedules, pruned, stepBudget, "
                    + "outOfBudget (executions cut off by the step budget: no verdict), interrupted (Ctrl-C), outcomes "
                    + "(outcome -> count), explanations (outcome -> lines saying what it means, where the "
                    + "scenario has any), violation (null, or kind, message, schedule, trace: rows of step, "
                    + "thread, function, access, object, note). No timings: the same inputs give the same bytes.",
            "Scenarios, their parameters, kernels, features, patches and strategies: gupsim list."})
final class ExploreCommand implements Callable<Integer> {
    /** What {@code --threads} allows. */
    static final String THREADS_ALLOWED = "1.." + ExploreOptions.MAX_THREADS;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    MachineOptions machine;

    @Mixin
    StrategyOptions strategy;

    @Allowed(StrategyOptions.SCHEDULES_ALLOWED)
    @Option(names = "--schedules", paramLabel = "N",
            description = "Most executions to run (default: " + StrategyOptions.DEFAULT_SAMPLED_SCHEDULES
                    + " for random and pct; 1000000 for exhaustive, which then stops early and says 'partial: not "
                    + "exhausted').")
    String schedules;

    @Allowed(THREADS_ALLOWED)
    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of an exhaustive search, 1 to " + ExploreOptions.MAX_THREADS
                    + " (default: the number of processors). The result is the same for any N; random and pct "
                    + "run on one.")
    String threads;

    @Allowed(ShardSpec.WHAT)
    @Option(names = "--shard", paramLabel = "I/N",
            description = "exhaustive only: explore part I (from 0) of N and print it as a shard file (JSON) instead "
                    + "of the result; 'gupsim merge' of all N files prints exactly what one run prints. Every part "
                    + "runs the search's first 10000 or so executions, then its share of the rest.")
    String shard;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ScenarioChoice what = scenario.resolve(machine);
        StrategyChoice how = strategy.resolve(schedules);
        ShardSpec part = shard == null ? null : ShardSpec.parse("--shard", shard);
        if (part != null && !(how.strategy() instanceof Strategy.DepthFirst)) {
            throw new UsageException("--shard applies to --strategy exhaustive only, not " + how.name());
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors()
                : (int) CliValues.wholeNumber("--threads", threads, 1, ExploreOptions.MAX_THREADS);
        ExploreOptions options = how.options().withThreads(workers);
        PrintWriter out = spec.commandLine().getOut();
        ExploreControl control = new ExploreControl();
        try (Interruption stop = Interruption.on(control, main != null && main.handlesSignals());
             ProgressLine progress = ProgressLine.explore(spec.commandLine().getErr(), stderrIsTerminal(), control)) {
            long start = System.nanoTime();
            if (part != null) {
                SearchShard result = what.exploration().exploreShard((Strategy.DepthFirst) how.strategy(), options,
                        control, part.index(), part.count());
                progress.close();
                out.println(ShardFile.of(spec.name(), CommandArgs.of(spec), part, result).toJson());
                out.flush();
                stop.done();
                return result.interrupted() ? Main.EXIT_INTERRUPTED : Main.EXIT_OK;
            }
            ExplorationResult result = what.exploration().explore(how.strategy(), options, control);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.close();
            int code = print(new ExploreReport(what, how, result), String.format(Locale.ROOT, "%.1f s", seconds), out);
            stop.done();
            return code;
        }
    }

    /** Prints the report as asked (text with {@code time}, or JSON) and returns the exit code. */
    private int print(ExploreReport report, String time, PrintWriter out) {
        if (json.on()) {
            out.println(report.toJson());
        } else {
            out.print(report.toText(time));
        }
        out.flush();
        return report.result().interrupted() ? Main.EXIT_INTERRUPTED : report.exitCode();
    }

    /**
     * What the unsharded run would print, from the parts of a run with these arguments (see
     * {@code gupsim merge}): the same bytes for JSON; text says how many shards instead of a time.
     */
    int merge(List<SearchShard> parts, PrintWriter out) {
        ScenarioChoice what = scenario.resolve(machine);
        StrategyChoice how = strategy.resolve(schedules);
        if (!(how.strategy() instanceof Strategy.DepthFirst dfs)) {
            throw new UsageException("the shards are of a " + how.name() + " search, which is not split");
        }
        ExplorationResult result;
        try {
            result = what.exploration().merge(dfs, how.options(), parts);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return print(new ExploreReport(what, how, result), parts.size() + " shards", out);
    }

    private boolean stderrIsTerminal() {
        return main != null && main.stderrIsTerminal();
    }
}
