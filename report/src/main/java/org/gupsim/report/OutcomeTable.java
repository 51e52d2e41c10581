package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;

/**
 * The distinct outcomes of one scenario column of a {@link ReportTable}, jcstress style: rows are
 * the outcomes the scenario observed on any variant (sorted), columns the variants it ran on (N/A
 * ones left out), each entry the number of executions that finished with that outcome, 0 where
 * the variant never reached it. With partial-order reduction one execution stands for a class of
 * equivalent interleavings, so a count says how many classes end so, not how often it happens;
 * what matters is which outcomes a variant can reach at all.
 *
 * @param title    {@code gup-fast-vs-munmap, kernel latest, no patches}
 * @param variants the variants' full names, with the memory model where it is not {@code sc}
 * @param outcomes the outcomes, sorted
 * @param counts   {@code counts.get(outcome).get(variant)}
 */
public record OutcomeTable(String title, List<String> variants, List<String> outcomes, List<List<Long>> counts) {

    public OutcomeTable {
        variants = List.copyOf(variants);
        outcomes = List.copyOf(outcomes);
        counts = counts.stream().map(List::copyOf).toList();
    }

    /** The counts of outcome {@code row} as a report prints them: {@code -} where a variant never reached it. */
    public List<String> countTexts(int row) {
        return counts.get(row).stream().map(n -> n == 0 ? "-" : Long.toString(n)).toList();
    }

    /** One table per column of each of the report's tables, leaving out columns without outcomes. */
    public static List<OutcomeTable> of(ComparisonReport report) {
        List<OutcomeTable> out = new ArrayList<>();
        for (ReportTable t : ReportTable.of(report)) {
            for (int col = 0; col < t.columns().size(); col++) {
                List<CellResult> ran = new ArrayList<>();
                for (List<Integer> row : t.cells()) {
                    int i = row.get(col);
                    if (i >= 0 && report.cells().get(i).verdict() != CellVerdict.NOT_APPLICABLE) {
                        ran.add(report.cells().get(i));
                    }
                }
                TreeSet<String> outcomes = new TreeSet<>();
                ran.forEach(c -> outcomes.addAll(c.outcomes().keySet()));
                if (outcomes.isEmpty()) {
                    continue;
                }
                List<List<Long>> counts = new ArrayList<>();
                for (String o : outcomes) {
                    counts.add(ran.stream().map(c -> c.outcomes().getOrDefault(o, 0L)).toList());
                }
                out.add(new OutcomeTable(t.columns().get(col) + ", " + t.title(),
                        ran.stream().map(CellResult::who).toList(), List.copyOf(outcomes), counts));
            }
        }
        return out;
    }
}
