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
 * The report as plain text for a terminal, in {@link SectionedReport}'s order: aligned tables with
 * the legend under them, the disagreements, the outcomes, the wall times when asked for (a table
 * of seconds per cell and the total), then every trace, rendered with
 * {@link org.gupsim.explore.Trace#render()} and followed by the command that replays it.
 */
public final class TextReport extends SectionedReport {
    /** The format {@code --format text} selects. */
    public TextReport() {
        super("text", "aligned tables, disagreements, outcomes and traces for a terminal", true);
    }

    @Override
    void header(StringBuilder sb, ComparisonReport report) {
        sb.append(Describe.header(report)).append("\n\n");
    }

    /** The verdicts only: the seconds per cell come in their own tables, after the answers. */
    @Override
    void table(StringBuilder sb, ReportTable t, ComparisonReport report, boolean timings) {
        sb.append(t.title()).append('\n');
        cellTable(sb, t, report, false);
        sb.append('\n');
    }

    @Override
    void legend(StringBuilder sb, ComparisonReport report) {
        sb.append(report.search().legend()).append("\n\n");
    }

    @Override
    void noDisagreements(StringBuilder sb) {
        sb.append("No disagreements: every scenario ends the same way on every variant it applies to.\n");
    }

    @Override
    void disagreementsHeading(StringBuilder sb) {
        sb.append("Disagreements:\n");
    }

    @Override
    void disagreement(StringBuilder sb, Disagreement d, List<String> mechanismLines) {
        sb.append("- ").append(Describe.disagreement(d)).append('\n');
        for (String line : mechanismLines) {
            sb.append("    ").append(line).append('\n');
        }
    }

    @Override
    void outcomesHeading(StringBuilder sb, ComparisonReport report) {
        sb.append('\n').append(Describe.outcomes(report)).append('\n');
    }

    @Override
    void outcomeTable(StringBuilder sb, OutcomeTable o) {
        sb.append('\n').append(o.title()).append('\n');
        List<List<String>> lines = new ArrayList<>();
        lines.add(cells("outcome", o.variants()));
        for (int r = 0; r < o.outcomes().size(); r++) {
            lines.add(cells(o.outcomes().get(r), o.countTexts(r)));
        }
        aligned(sb, lines, true);
    }

    @Override
    void wallTimes(StringBuilder sb, ComparisonReport report) {
        sb.append("\nwall time: ").append(Describe.seconds(report.wallTime())).append(" in all\n");
        for (ReportTable t : ReportTable.of(report)) {
            sb.append(t.title()).append(", wall time per cell\n");
            cellTable(sb, t, report, true);
        }
    }

    @Override
    void trace(StringBuilder sb, NumberedTrace t, ComparisonReport report) {
        sb.append('\n').append(Describe.traceTitle(t, report)).append('\n');
        sb.append(t.violation()).append('\n');
        sb.append(t.trace().render());
        sb.append("replay: ").append(t.replay()).append('\n');
    }

    private static void cellTable(StringBuilder sb, ReportTable t, ComparisonReport report, boolean times) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(cells("variant", t.columns()));
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
