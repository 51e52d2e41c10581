package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.NumberedTrace;

/**
 * A report read from top to bottom, in the order a reader asks: the header, one table per kernel
 * and patch set (rows = variants, columns = scenarios), the legend, the disagreements, the
 * distinct outcomes per scenario ({@link OutcomeTable}), the wall times when asked for, then every
 * trace a cell refers to with the command that replays it. Wall times come after the answers
 * because they vary from run to run and say nothing about the kernel. {@link TextReport} and
 * {@link MarkdownReport} share this order and differ in how each part is written.
 */
abstract class SectionedReport extends NamedReportFormat {

    SectionedReport(String name, String description, boolean wallTimesByDefault) {
        super(name, description, wallTimesByDefault);
    }

    @Override
    public final String render(ComparisonReport report, boolean timings) {
        StringBuilder sb = new StringBuilder();
        header(sb, report);
        for (ReportTable t : ReportTable.of(report)) {
            table(sb, t, report, timings);
        }
        legend(sb, report);
        if (report.disagreements().isEmpty()) {
            noDisagreements(sb);
        } else {
            disagreementsHeading(sb);
            for (Disagreement d : report.disagreements()) {
                disagreement(sb, d, Describe.mechanismLines(d, report));
            }
        }
        List<OutcomeTable> outcomes = OutcomeTable.of(report);
        if (!outcomes.isEmpty()) {
            outcomesHeading(sb, report);
            for (OutcomeTable o : outcomes) {
                outcomeTable(sb, o);
            }
        }
        if (timings) {
            wallTimes(sb, report);
        }
        for (NumberedTrace t : report.traces()) {
            trace(sb, t, report);
        }
        return sb.toString();
    }

    /** The inputs of the comparison ({@link Describe#header}). */
    abstract void header(StringBuilder sb, ComparisonReport report);

    /** One verdict table; {@code timings}: with each cell's wall time. */
    abstract void table(StringBuilder sb, ReportTable t, ComparisonReport report, boolean timings);

    /** What the verdict words mean for the search that ran. */
    abstract void legend(StringBuilder sb, ComparisonReport report);

    /** What to say when every scenario ended the same way on every variant. */
    abstract void noDisagreements(StringBuilder sb);

    /** The title over the disagreements. */
    abstract void disagreementsHeading(StringBuilder sb);

    /** One disagreement and the lines that name the mechanism behind it. */
    abstract void disagreement(StringBuilder sb, Disagreement d, List<String> mechanismLines);

    /** What the outcome tables count ({@link Describe#outcomes}). */
    abstract void outcomesHeading(StringBuilder sb, ComparisonReport report);

    /** One scenario's outcomes, counted per variant. */
    abstract void outcomeTable(StringBuilder sb, OutcomeTable o);

    /** The total wall time (and what else a format shows of the times). */
    abstract void wallTimes(StringBuilder sb, ComparisonReport report);

    /** One numbered trace with its violation and the command that replays it. */
    abstract void trace(StringBuilder sb, NumberedTrace t, ComparisonReport report);

    /** The cells of a table row: {@code first}, then {@code rest}. */
    static List<String> cells(String first, List<String> rest) {
        List<String> cells = new ArrayList<>(rest.size() + 1);
        cells.add(first);
        cells.addAll(rest);
        return cells;
    }
}
