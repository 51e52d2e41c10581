package org.gupsim.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as plain text for a terminal: a header, one aligned table per kernel and mutant set
 * (rows = variants, columns = scenarios), the disagreements, then every trace a cell refers to,
 * rendered with {@link org.gupsim.sched.Trace#render()} and followed by the command that replays it.
 */
public final class TextReport {
    private TextReport() {
    }

    /**
     * Renders {@code report}.
     *
     * @param timings add the wall times (a table of seconds per cell and the total); without them
     *                the text is a pure function of the report's inputs
     */
    public static String render(ComparisonReport report, boolean timings) {
        StringBuilder sb = new StringBuilder();
        sb.append(Describe.header(report)).append("\n\n");
        for (ReportTable t : ReportTable.of(report)) {
            sb.append(t.title()).append('\n');
            table(sb, t, report, false);
            sb.append('\n');
        }
        sb.append(Describe.LEGEND).append("\n\n");
        if (timings) {
            sb.append("wall time: ").append(Describe.seconds(report.wallTime())).append(" in all\n");
            for (ReportTable t : ReportTable.of(report)) {
                sb.append(t.title()).append(", wall time per cell\n");
                table(sb, t, report, true);
                sb.append('\n');
            }
        }
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
                line.add(i < 0 ? "" : times ? String.format(Locale.ROOT, "%.2f s",
                        report.cells().get(i).wallTime().toNanos() / 1e9) : report.cells().get(i).text());
            }
            lines.add(line);
        }
        int[] width = new int[head.size()];
        for (List<String> l : lines) {
            for (int c = 0; c < l.size(); c++) {
                width[c] = Math.max(width[c], l.get(c).length());
            }
        }
        for (int n = 0; n < lines.size(); n++) {
            row(sb, lines.get(n), width);
            if (n == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                row(sb, rule, width);
            }
        }
    }

    private static void row(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                l.append("  ");
            }
            l.append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length()));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
