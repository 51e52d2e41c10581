package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.NumberedTrace;

/**
 * The report as plain text for a terminal, in the order a reader asks: a header, one aligned table
 * per kernel and patch set (rows = variants, columns = scenarios) with the legend under it, the
 * disagreements, the distinct outcomes per scenario ({@link OutcomeTable}), the wall times when
 * asked for, then every trace a cell refers to, rendered with {@link org.gupsim.explore.Trace#render()}
 * and followed by the command that replays it. Wall times come after the answers because they
 * vary from run to run and say nothing about the kernel.
 */
public final class TextReport extends NamedReportFormat {
    /** The format {@code --format text} selects. */
    public TextReport() {
        super("text", "aligned tables, disagreements, outcomes and traces for a terminal", true);
    }

    /**
     * Renders {@code report}.
     *
     * @param timings add the wall times (a table of seconds per cell and the total); without them
     *                the text is a pure function of the report's inputs
     */
    @Override
    public String render(ComparisonReport report, boolean timings) {
        StringBuilder sb = new StringBuilder();
        sb.append(Describe.header(report)).append("\n\n");
        for (ReportTable t : ReportTable.of(report)) {
            sb.append(t.title()).append('\n');
            table(sb, t, report, false);
            sb.append('\n');
        }
        sb.append(report.search().legend()).append("\n\n");
        if (report.disagreements().isEmpty()) {
            sb.append("No disagreements: every scenario ends the same way on every variant it applies to.\n");
        } else {
            sb.append("Disagreements:\n");
            for (Disagreement d : report.disagreements()) {
                sb.append("- ").append(Describe.disagreement(d)).append('\n');
                for (String line : Describe.mechanismLines(d, report)) {
                    sb.append("    ").append(line).append('\n');
                }
            }
        }
        List<OutcomeTable> outcomes = OutcomeTable.of(report);
        if (!outcomes.isEmpty()) {
            sb.append('\n').append(Describe.outcomes(report)).append('\n');
            for (OutcomeTable o : outcomes) {
                sb.append('\n').append(o.title()).append('\n');
                List<List<String>> lines = new ArrayList<>();
                List<String> head = new ArrayList<>();
                head.add("outcome");
                head.addAll(o.variants());
                lines.add(head);
                for (int r = 0; r < o.outcomes().size(); r++) {
                    List<String> line = new ArrayList<>();
                    line.add(o.outcomes().get(r));
                    line.addAll(o.countTexts(r));
                    lines.add(line);
                }
                aligned(sb, lines, true);
            }
        }
        if (timings) {
            sb.append("\nwall time: ").append(Describe.seconds(report.wallTime())).append(" in all\n");
            for (ReportTable t : ReportTable.of(report)) {
                sb.append(t.title()).append(", wall time per cell\n");
                table(sb, t, report, true);
            }
        }
        for (NumberedTrace t : report.traces()) {
            sb.append('\n').append(Describe.traceTitle(t, report)).append('\n');
            sb.append(t.violation()).append('\n');
            sb.append(t.trace().render());
            sb.append("replay: ").append(t.replay()).append('\n');
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, ReportTable t, ComparisonReport report, boolean times) {
        List<List<String>> lines = new ArrayList<>();
        List<String> head = new ArrayList<>();
        head.add("variant");
        head.addAll(t.columns());
        lines.add(head);
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> line = new ArrayList<>();
            line.add(t.rows().get(r));
            for (int i : t.cells().get(r)) {
                line.add(i < 0 ? "" : times ? wallTime(report.cells().get(i)) : report.cells().get(i).text());
            }
            lines.add(line);
        }
        aligned(sb, lines, false);
    }

    /** A cell's seconds, or {@code -} for an N/A cell, which ran nothing. */
    static String wallTime(CellResult c) {
        return c.verdict() == CellVerdict.NOT_APPLICABLE ? "-"
                : String.format(Locale.ROOT, "%.2f s", c.wallTime().toNanos() / 1e9);
    }

    /** Lays {@code lines} out in columns two spaces apart, a rule under the first; numbers to the right if asked. */
    private static void aligned(StringBuilder sb, List<List<String>> lines, boolean rightAlignCounts) {
        int[] width = new int[lines.get(0).size()];
        for (List<String> l : lines) {
            for (int c = 0; c < l.size(); c++) {
                width[c] = Math.max(width[c], l.get(c).length());
            }
        }
        for (int n = 0; n < lines.size(); n++) {
            row(sb, lines.get(n), width, rightAlignCounts);
            if (n == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                row(sb, rule, width, false);
            }
        }
    }

    private static void row(StringBuilder sb, List<String> cells, int[] width, boolean rightAlign) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(width[c] - cells.get(c).length());
            if (rightAlign && c > 0) {
                l.append(pad).append(cells.get(c));
            } else {
                l.append(cells.get(c)).append(pad);
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
