package org.gupsim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.VariantUnavailableException;
import org.gupsim.compare.Comparison;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.ComparisonShard;
import org.gupsim.explore.ExploreControl;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.report.ReportFormat;
import org.gupsim.report.ReportFormats;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gupsim compare}: every scenario on every architecture variant, side by side. */
@Command(name = "compare", sortOptions = false,
        customSynopsis = {
            "gupsim compare [--scenario S[:k=v,...]]... [--arch A[:V]]...",
            "               [--kernel K]... [--patch P[+P...]|none]...",
            "               [--memory-model sc|tso|arm64|power|arch]...",
            "               [--strategy exhaustive|random|pct] [--seed N] [--schedules N]",
            "               [--preemption-bound N] [--depth D] [--budget SECONDS]",
            "               [--threads N] [--format text|markdown|json|html] [--out FILE]",
            "               [--timings]"},
        description = {
            "Run scenarios on architecture variants, kernels and patch sets side by side and say, cell by "
                    + "cell, what can happen.",
            "",
            "Each option adds to its axis; the comparison is their product. Without options: every scenario, "
                    + "the default variant of every architecture plus x86_64:native and x86_64:invlpgb, kernel "
                    + "latest, no patches, memory model sc, exhaustive search where it fits the budget.",
            "",
            "A cell reads 'SAFE (412, all)' (412 schedules, every interleaving up to equivalence), "
                    + "'SAFE (10000, partial)' (stopped at the schedule cap), 'SAFE (2, all \u22640 preemptions)' "
                    + "(every schedule within --preemption-bound 0, not every interleaving), "
                    + "'UAF page-table (trace #3)' (a violation, its trace printed below the table), or 'N/A' "
                    + "(the scenario does not apply to the variant). Disagreements name the variants that end "
                    + "differently and the mechanisms in which they differ that can explain it (flush style, "
                    + "RCU table freeing, page tables, options, memory model), apart from those that differ but "
                    + "cannot; for the memory model, the orderings the broken side's model relaxes.",
            ""},
        footer = {"",
            "The budget is per cell and does not read the clock: SECONDS x " + Comparison.SCHEDULES_PER_SECOND
                    + " schedules is the cap per cell, so the report is the same on any machine and any number "
                    + "of threads. --schedules N sets the cap directly.",
            "The progress bar is drawn on stderr only when the gupsim launcher finds stderr is a terminal "
                    + "(-D" + Main.STDERR_TERMINAL_PROPERTY + "=true).",
            "Wall times appear in text and html; in markdown and json only with --timings, so that the same "
                    + "inputs give the same bytes.",
            "Exit codes: 0 the comparison ran (violations are part of the answer), 2 bad input."})
final class CompareCommand implements Callable<Integer> {
    static final long MAX_BUDGET_SECONDS = 86_400;
    static final int MAX_THREADS = 1024;
    static final String BUDGET_ALLOWED = "1.." + MAX_BUDGET_SECONDS;
    static final String THREADS_ALLOWED = "1.." + MAX_THREADS;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--scenario", paramLabel = "S[:k=v,...]", completionCandidates = ScenarioNames.class,
            description = "Add a scenario, with parameters after a colon (repeatable; default: every scenario): "
                    + "${COMPLETION-CANDIDATES}.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "A[:V]", completionCandidates = MachineOptions.ArchNames.class,
            description = "Add an architecture, with a variant after a colon (repeatable; default: every "
                    + "architecture's default variant plus x86_64:native and x86_64:invlpgb where the kernels have them: "
                    + "native before 6.15, invlpgb from 6.15).")
    List<String> archs = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "K", completionCandidates = KernelNames.class,
            description = "Add a kernel version (repeatable; default: latest): ${COMPLETION-CANDIDATES}.")
    List<String> kernels = new ArrayList<>();

    @Option(names = {"--patch", "--mutant"}, paramLabel = "P[+P...]",
            description = "Add a patch set, applied to every kernel: one patch, several joined by +, or none "
                    + "(repeatable; default: none; --mutant is the same). Patches: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PatchArgs.Names.class)
    List<String> patchSets = new ArrayList<>();

    @Option(names = "--memory-model", paramLabel = "M", completionCandidates = ScenarioOptions.MemoryModelWords.class,
            description = "Add a memory model the cells run under (repeatable; default: sc): ${COMPLETION-CANDIDATES} "
                    + "(arch: each variant's architecture's own, tso for x86_64 and s390, arm64, power for ppc64). "
                    + "A variant under each model is a row of its own.")
    List<String> memoryModels = new ArrayList<>();

    @Mixin
    StrategyOptions strategy;

    @Allowed(StrategyOptions.SCHEDULES_ALLOWED)
    @Option(names = "--schedules", paramLabel = "N",
            description = "Schedule cap per cell, instead of the one --budget gives (default: budget x "
                    + Comparison.SCHEDULES_PER_SECOND + " = " + Comparison.DEFAULT_BUDGET_SECONDS
                    * Comparison.SCHEDULES_PER_SECOND + "). An exhaustive cell that reaches it says 'partial'; "
                    + "random and pct run exactly N.")
    String schedules;

    @Allowed(BUDGET_ALLOWED)
    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Budget per cell (default: " + Comparison.DEFAULT_BUDGET_SECONDS
                    + "), turned into a cap of SECONDS x " + Comparison.SCHEDULES_PER_SECOND
                    + " schedules; it does not read the clock.")
    String budget;

    @Allowed(THREADS_ALLOWED)
    @Option(names = "--threads", paramLabel = "N",
            description = "Cells run in parallel (default: the number of processors).")
    String threads;

    @Allowed(ShardSpec.WHAT)
    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run part I (from 0) of N of the cells (every N-th, from the I-th) and print them as a shard "
                    + "file (JSON) instead of the report; 'gupsim merge' of all N files prints the report.")
    String shard;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", completionCandidates = FormatNames.class,
            description = "Output format (default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}.")
    String format;

    @Allowed(OutputFile.ALLOWED)
    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout "
            + "(opened for writing before any cell runs).")
    String out;

    @Option(names = "--timings", arity = "0", description = "Add wall times to markdown and json (text always has them).")
    boolean timings;

    @Override
    public Integer call() {
        Comparison comparison = build();
        ShardSpec part = shard == null ? null : ShardSpec.parse("--shard", shard);
        try (OutputFile file = out == null ? null : OutputFile.open("--out", out)) {
            return run(comparison, part, file);
        }
    }

    /** Runs the checked comparison (or one shard of it) and writes the result to {@code file}, or to stdout if null. */
    private int run(Comparison comparison, ShardSpec part, OutputFile file) {
        PrintWriter err = spec.commandLine().getErr();
        ExploreControl control = new ExploreControl();
        boolean terminal = main != null && main.stderrIsTerminal();
        try (Interruption stop = Interruption.on(control, main != null && main.handlesSignals());
             ProgressLine progress = ProgressLine.compare(err, terminal, control, comparison.size())) {
            String text;
            boolean interrupted;
            if (part != null) {
                ComparisonShard result = comparison.runShard(part.index(), part.count(), control, progress);
                interrupted = control.stopRequested();
                text = ShardFile.of(spec.name(), CommandArgs.of(spec), part, result).toJson() + "\n";
            } else {
                ComparisonReport report = comparison.run(control, progress);
                interrupted = control.stopRequested();
                text = render(report, true);
            }
            progress.close();
            write(file, text);
            stop.done();
            return interrupted ? Main.EXIT_INTERRUPTED : Main.EXIT_OK;
        }
    }

    /**
     * What the unsharded run would print, from the parts of a run with these arguments (see
     * {@code gupsim merge}): the same bytes for markdown and JSON; text and HTML without wall
     * times, which shard files do not carry.
     */
    int merge(List<ComparisonShard> parts, PrintWriter to) {
        Comparison comparison = build();
        ComparisonReport report;
        try {
            report = comparison.merge(parts);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        to.print(render(report, false));
        to.flush();
        return Main.EXIT_OK;
    }

    /**
     * The report in the chosen format, with wall times when asked for or when the format shows
     * them by default and they were {@code measured} (merged shards carry none).
     */
    private String render(ComparisonReport report, boolean measured) {
        ReportFormat renderer = ReportFormats.load().get(format);
        return renderer.render(report, timings || measured && renderer.wallTimesByDefault());
    }

    private void write(OutputFile file, String text) {
        write(file, text, spec.commandLine().getOut());
    }

    /** Writes {@code text} to {@code file} (an {@code --out} opened before any work), or to {@code stdout} without one. */
    static void write(OutputFile file, String text, PrintWriter stdout) {
        if (file != null) {
            file.write(text);
        } else {
            stdout.print(text);
            stdout.flush();
        }
    }

    /** The comparison the options ask for, checked. */
    private Comparison build() {
        ReportFormats formats = ReportFormats.load();
        CliValues.oneOf("--format", format, formats.names());
        StrategyChoice how = strategy.resolve(schedules);
        Comparison.Builder b = Comparison.builder();
        for (String s : scenarios) {
            addScenario(b, s);
        }
        List<KernelVersion> ks = new ArrayList<>();
        for (String k : kernels) {
            ks.add(MachineOptions.parseKernel(k));
        }
        ks.forEach(b::kernel);
        // The kernels of the comparison, patched: a variant must exist on one of them.
        List<Kernel> patched = new ArrayList<>();
        for (String m : patchSets) {
            String flag = PatchArgs.flagOf(spec, m);
            List<Patch> set = PatchArgs.parse(flag, m, true);
            for (KernelVersion k : ks.isEmpty() ? List.of(KernelVersion.LATEST) : ks) {
                patched.add(PatchArgs.apply(flag, k, set));
            }
            b.patches(set);
        }
        if (patchSets.isEmpty()) {
            patched.addAll(ks.isEmpty() ? List.of(KernelVersion.LATEST) : ks);
        }
        checkArchs(patched);
        archs.forEach(b::arch);
        for (String m : memoryModels) {
            b.memoryModel(ScenarioOptions.memoryModelChoice(m));
        }
        if (schedules != null && budget != null) {
            throw new UsageException("--budget and --schedules both set the schedule cap per cell; give one");
        }
        if (schedules != null) {
            b.scheduleCap(how.options().maxSchedules());
        } else {
            b.budgetSeconds(budgetSeconds());
        }
        b.strategy(how.strategy()).preemptionBound(how.options().preemptionBound());
        if (threads != null) {
            b.threads((int) CliValues.wholeNumber("--threads", threads, 1, MAX_THREADS));
        }
        return b.build();
    }

    private long budgetSeconds() {
        return budget == null ? Comparison.DEFAULT_BUDGET_SECONDS : CliValues.wholeNumber("--budget", budget, 1, MAX_BUDGET_SECONDS);
    }

    private static void addScenario(Comparison.Builder b, String spec) {
        if (spec.isEmpty()) {
            throw CliValues.needsValue("--scenario", String.join(", ", Scenarios.names()));
        }
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        if (!Scenarios.names().contains(name)) {
            throw CliValues.notKnown("--scenario", name.isEmpty() ? spec : name, Scenarios.names());
        }
        Scenario s = Scenarios.get(name);
        List<String> items = colon < 0 ? List.of() : List.of(spec.substring(colon + 1).split(",", -1));
        // Resolved here only to be checked, as explore checks --param: the comparison resolves them again.
        ScenarioParams.resolve(s, items, "--scenario " + spec);
        TreeMap<String, String> given = new TreeMap<>();
        for (String kv : items) {
            given.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        b.scenario(s, given);
    }

    private void checkArchs(List<Kernel> ks) {
        for (String a : archs) {
            ArchRegistry registry = MachineOptions.knownArch(a);
            // A variant some of the kernels did not have gives N/A cells on those; one that none of
            // them had would give nothing but N/A, which is a mistake in the command.
            VariantUnavailableException missing = null;
            boolean somewhere = false;
            for (Kernel k : ks) {
                try {
                    registry.parse(a, k);
                    somewhere = true;
                } catch (VariantUnavailableException e) {
                    missing = missing == null ? e : missing;
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--arch: " + e.getMessage());
                }
            }
            if (!somewhere) {
                throw MachineOptions.unavailable(missing);
            }
        }
    }

    /** For picocli's help and error messages. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Scenarios.names().iterator();
        }
    }

    /** For picocli's help and error messages. */
    static final class KernelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KernelVersion.labels().iterator();
        }
    }

    /** For picocli's help and error messages. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ReportFormats.load().names().iterator();
        }
    }
}
