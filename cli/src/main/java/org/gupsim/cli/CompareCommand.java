package org.gupsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.gupsim.scenario.ScenarioParam;
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
                    + "latest, no patches, exhaustive search where it fits the budget.",
            "",
            "A cell reads 'SAFE (412, all)' (412 schedules, every interleaving up to equivalence), "
                    + "'SAFE (10000, partial)' (stopped at the schedule cap), 'SAFE (2, all \u22640 preemptions)' "
                    + "(every schedule within --preemption-bound 0, not every interleaving), "
                    + "'UAF page-table (trace #3)' (a violation, its trace printed below the table), or 'N/A' "
                    + "(the scenario does not apply to the variant). Disagreements name the variants that end "
                    + "differently and the mechanisms in which they differ that can explain it (flush style, "
                    + "RCU table freeing, page tables, options), apart from those that differ but cannot.",
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
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--scenario", paramLabel = "S[:k=v,...]", completionCandidates = ScenarioNames.class,
            description = "Add a scenario, with parameters after a colon (repeatable; default: every scenario): "
                    + "${COMPLETION-CANDIDATES}.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "A[:V]",
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

    @Mixin
    StrategyOptions strategy;

    @Option(names = "--schedules", paramLabel = "N",
            description = "Schedule cap per cell, instead of the one --budget gives (default: budget x "
                    + Comparison.SCHEDULES_PER_SECOND + " = " + Comparison.DEFAULT_BUDGET_SECONDS
                    * Comparison.SCHEDULES_PER_SECOND + "). An exhaustive cell that reaches it says 'partial'; "
                    + "random and pct run exactly N.")
    String schedules;

    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Budget per cell (default: " + Comparison.DEFAULT_BUDGET_SECONDS
                    + "), turned into a cap of SECONDS x " + Comparison.SCHEDULES_PER_SECOND
                    + " schedules; it does not read the clock.")
    String budget;

    @Option(names = "--threads", paramLabel = "N",
            description = "Cells run in parallel (default: the number of processors).")
    String threads;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run part I (from 0) of N of the cells (every N-th, from the I-th) and print them as a shard "
                    + "file (JSON) instead of the report; 'gupsim merge' of all N files prints the report.")
    String shard;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", completionCandidates = FormatNames.class,
            description = "Output format (default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path out;

    @Option(names = "--timings", description = "Add wall times to markdown and json (text always has them).")
    boolean timings;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        Comparison comparison = build();
        ShardSpec part = shard == null ? null : ShardSpec.parse("--shard", shard);
        if (out != null) {
            checkWritable(out);
        }
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
            write(text);
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

    private void write(String text) {
        write(out, text, spec.commandLine().getOut());
    }

    /** Writes {@code text} to {@code out}, or to {@code stdout} when no {@code --out} was given. */
    static void write(Path out, String text, PrintWriter stdout) {
        if (out != null) {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("--out " + out + " cannot be written: " + e.getMessage());
            }
        } else {
            stdout.print(text);
            stdout.flush();
        }
    }

    /** The comparison the options ask for, checked. */
    private Comparison build() {
        ReportFormats formats = ReportFormats.load();
        if (!formats.names().contains(format)) {
            throw new UsageException("--format " + format + " is not known (allowed: "
                    + String.join(", ", formats.names()) + ")");
        }
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
            b.threads((int) positive("--threads", threads, 1024));
        }
        return b.build();
    }

    /**
     * Refuses an {@code --out} that cannot be written before any cell runs, rather than after a
     * long comparison: a missing or non-directory parent, an unwritable directory or file, a directory.
     */
    private static void checkWritable(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new UsageException("--out " + file + " is a directory (give a file name)");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + file + ": directory " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        if (Files.exists(abs)) {
            if (!Files.isWritable(abs)) {
                throw new UsageException("--out " + file + " exists and is not writable");
            }
        } else if (dir != null && !Files.isWritable(dir)) {
            throw new UsageException("--out " + file + ": directory " + dir + " is not writable");
        }
    }

    private long budgetSeconds() {
        return budget == null ? Comparison.DEFAULT_BUDGET_SECONDS : positive("--budget", budget, 86_400);
    }

    private static void addScenario(Comparison.Builder b, String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        if (!Scenarios.names().contains(name)) {
            throw new UsageException("--scenario " + name + " is not known (allowed: "
                    + String.join(", ", Scenarios.names()) + ")");
        }
        Scenario s = Scenarios.get(name);
        List<String> keys = s.params().stream().map(ScenarioParam::name).toList();
        TreeMap<String, String> params = new TreeMap<>();
        if (colon >= 0) {
            for (String kv : spec.substring(colon + 1).split(",", -1)) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new UsageException("--scenario " + spec + ": '" + kv + "' is not of the form KEY=VALUE "
                            + "(keys of " + name + ": " + String.join(", ", keys) + ")");
                }
                String key = kv.substring(0, eq);
                String value = kv.substring(eq + 1);
                ScenarioParam p = s.params().stream().filter(x -> x.name().equals(key)).findFirst().orElseThrow(
                        () -> new UsageException("--scenario " + spec + ": " + key + " is not a parameter of "
                                + name + " (allowed: " + String.join(", ", keys) + ")"));
                if (!p.accepts(value)) {
                    throw new UsageException("--scenario " + spec + ": " + key + " must be " + p.expected()
                            + " (default: " + p.defaultValue() + ")");
                }
                if (params.containsKey(key) && !params.get(key).equals(value)) {
                    throw new UsageException("--scenario " + spec + ": " + key + " is given twice (" + params.get(key)
                            + " and " + value + "); give each parameter once");
                }
                params.put(key, value);
            }
        }
        b.scenario(s, params);
    }

    private void checkArchs(List<Kernel> ks) {
        ArchRegistry registry = ArchRegistry.load();
        for (String a : archs) {
            int colon = a.indexOf(':');
            String name = colon < 0 ? a : a.substring(0, colon);
            if (!registry.names().contains(name)) {
                throw new UsageException("--arch " + name + " is not known (allowed: "
                        + String.join(", ", registry.names()) + ")");
            }
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
                    throw new UsageException("--arch " + a + ": " + e.getMessage());
                }
            }
            if (!somewhere) {
                throw MachineOptions.unavailable(missing);
            }
        }
    }

    private static long positive(String flag, String text, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " " + text + " is not a whole number (allowed: 1 to " + max + ")");
        }
        if (v < 1 || v > max) {
            throw new UsageException(flag + " " + text + " is out of range (allowed: 1 to " + max + ")");
        }
        return v;
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
