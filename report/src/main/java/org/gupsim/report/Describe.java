package org.gupsim.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.Mechanism;
import org.gupsim.compare.NumberedTrace;
import org.gupsim.compare.Search;

/** Sentences the renderers share: the header, a disagreement, a trace's title. */
final class Describe {
    private Describe() {
    }

    /**
     * {@code gupsim compare: 4 scenarios x 6 variants, kernel latest, no patches (24 cells); strategy
     * exhaustive; up to 10000 schedules per cell (budget 10 = ...)}, see {@link Search#describe()}.
     */
    static String header(ComparisonReport r) {
        long variants = r.cells().stream().map(CellResult::variant).distinct().count();
        String kernels = r.kernels().stream().map(k -> k.label()).collect(Collectors.joining(", "));
        String patches = r.patchSets().stream().map(ReportTable::patchesText).collect(Collectors.joining("; "));
        String models = r.weakMemory() ? ", memory models " + String.join(", ", r.memoryModels()) : "";
        return "gupsim compare: " + r.scenarios().size() + " scenarios x " + variants + " variants, kernel "
                + kernels + ", " + patches + models + " (" + r.cells().size() + " cells); " + r.search().describe();
    }

    /** The sentence over the outcome tables ({@link OutcomeTable}): what a count is under this search. */
    static String outcomes(ComparisonReport r) {
        Search s = r.search();
        String counts = !s.exhaustive() ? "sampled executions that finished with it"
                : s.strategy().equals("exhaustive") && s.preemptionBound() < 0
                ? "executions that finished with it, each standing for a class of equivalent interleavings, so a "
                        + "count is not a frequency"
                : "executions that finished with it";
        return "Outcomes per scenario (" + counts + "; - = in none of the executions run; a cell that found a "
                + "violation stopped there):";
    }

    /**
     * {@code gup-fast-vs-evict, kernel 6.5, patches split-rcu-flavors: SAFE on a; VIOLATION USE_AFTER_FREE
     * address-space on b}.
     */
    static String disagreement(Disagreement d) {
        List<String> parts = new ArrayList<>();
        for (Disagreement.Group g : d.groups()) {
            parts.add(g.verdictClass() + " on " + String.join(", ", g.variants()));
        }
        return ReportTable.label(d.scenario()) + ", kernel " + d.kernel().label() + ", "
                + ReportTable.patchesText(d.patches()) + ": " + String.join("; ", parts);
    }

    /**
     * One line per mechanism: {@code differs in flush style: IPI (x86_64:native) vs BROADCAST (arm64:4k-48)},
     * the separating ones first, then those that also differ, then those that differ but cannot
     * explain what went wrong ({@link Mechanism#canExplain}).
     */
    static List<String> mechanismLines(Disagreement d, ComparisonReport r) {
        List<String> out = new ArrayList<>();
        for (Mechanism m : d.mechanisms()) {
            out.add("differs in " + m.label() + ": " + values(d, r, m));
            orderings(out, d, m);
        }
        for (Mechanism m : d.alsoDiffer()) {
            out.add("also differs, not between all of them, in " + m.label() + ": " + values(d, r, m));
            orderings(out, d, m);
        }
        if (d.mechanisms().isEmpty() && d.alsoDiffer().isEmpty()) {
            out.add("no mechanism the report knows can explain it (see the variants' other properties)");
        }
        for (Mechanism m : d.unrelated()) {
            out.add("differs too, but cannot explain " + what(d, r) + ", in " + m.label() + ": " + values(d, r, m));
        }
        return out;
    }

    /** Under the memory-model line, what the broken side's model relaxes ({@link Disagreement#orderings()}). */
    private static void orderings(List<String> out, Disagreement d, Mechanism m) {
        if (m == Mechanism.MEMORY_MODEL) {
            for (String o : d.orderings()) {
                out.add("where " + o);
            }
        }
    }

    /** What went wrong, as the cells summarise it: {@code UAF address-space}, or several joined with "or". */
    private static String what(Disagreement d, ComparisonReport r) {
        List<String> kinds = new ArrayList<>();
        for (Disagreement.Group g : d.groups()) {
            CellResult first = r.cells().get(g.cells().get(0));
            if (first.violation() != null) {
                kinds.add(first.summary());
            }
        }
        return String.join(" or ", kinds);
    }

    private static String values(Disagreement d, ComparisonReport r, Mechanism m) {
        List<String> groups = new ArrayList<>();
        for (Disagreement.Group g : d.groups()) {
            Map<String, List<String>> byValue = new LinkedHashMap<>();
            for (int i : g.cells()) {
                CellResult c = r.cells().get(i);
                byValue.computeIfAbsent(c.mechanisms().value(m), k -> new ArrayList<>()).add(c.who());
            }
            List<String> vs = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : byValue.entrySet()) {
                vs.add(e.getKey() + " (" + String.join(", ", e.getValue()) + ")");
            }
            groups.add(String.join(", ", vs));
        }
        return String.join(" vs ", groups);
    }

    /** {@code trace #1: gup-fast-vs-evict on x86_64:invlpgb, kernel 6.5, patches split-rcu-flavors}. */
    static String traceTitle(NumberedTrace t, ComparisonReport r) {
        CellResult c = r.cells().get(t.cell());
        return "trace #" + t.number() + ": " + ReportTable.label(c.scenario()) + " on " + c.who() + ", kernel "
                + c.kernel().label() + ", " + ReportTable.patchesText(c.patches());
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
