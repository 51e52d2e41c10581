package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.NumberedTrace;

/**
 * The report as GitHub-flavoured markdown, for a README or a mailing-list reply: the same tables
 * as {@link TextReport}, the disagreements as a list, the outcome tables, and each trace in a
 * code block.
 */
public final class MarkdownReport extends NamedReportFormat {
    /** The format {@code --format markdown} selects. */
    public MarkdownReport() {
        super("markdown", "GitHub-flavoured markdown, for a README or a mailing-list reply", false);
    }

    /**
     * Renders {@code report}.
     *
     * @param timings add the total wall time and each cell's seconds in the table cells
     */
    @Override
    public String render(ComparisonReport report, boolean timings) {
        StringBuilder sb = new StringBuilder();
        sb.append(escape(Describe.header(report))).append("\n\n");
        for (ReportTable t : ReportTable.of(report)) {
            sb.append("**").append(t.title()).append("**\n\n");
            List<String> head = new ArrayList<>();
            head.add("variant");
            head.addAll(t.columns());
            row(sb, head);
            row(sb, head.stream().map(h -> "---").toList());
            for (int r = 0; r < t.rows().size(); r++) {
                List<String> line = new ArrayList<>();
                line.add("`" + t.rows().get(r) + "`");
                for (int i : t.cells().get(r)) {
                    if (i < 0) {
                        line.add("");
                        continue;
                    }
                    CellResult c = report.cells().get(i);
                    String text = c.trace() > 0 ? c.summary() + " ([trace #" + c.trace() + "](#trace-" + c.trace() + "))"
                            : c.text();
                    if (c.verdict() != CellVerdict.SAFE && c.verdict() != CellVerdict.NOT_APPLICABLE) {
                        text = "**" + text + "**";
                    }
                    if (timings) {
                        text += " " + TextReport.wallTime(c);
                    }
                    line.add(text);
                }
                row(sb, line);
            }
            sb.append('\n');
        }
        sb.append(escape(report.search().legend())).append('\n');
        if (!report.disagreements().isEmpty()) {
            sb.append("\n**Disagreements**\n\n");
            for (Disagreement d : report.disagreements()) {
                sb.append("- ").append(escape(Describe.disagreement(d))).append('\n');
                for (String line : Describe.mechanismLines(d, report)) {
                    sb.append("  - ").append(escape(line)).append('\n');
                }
            }
        }
        List<OutcomeTable> outcomes = OutcomeTable.of(report);
        if (!outcomes.isEmpty()) {
            sb.append("\n**Outcomes**\n\n").append(escape(Describe.outcomes(report))).append('\n');
            for (OutcomeTable o : outcomes) {
                sb.append("\n*").append(escape(o.title())).append("*\n\n");
                List<String> head = new ArrayList<>();
                head.add("outcome");
                o.variants().forEach(v -> head.add("`" + v + "`"));
                row(sb, head);
                List<String> rule = new ArrayList<>();
                rule.add("---");
                o.variants().forEach(v -> rule.add("---:"));
                row(sb, rule);
                for (int r = 0; r < o.outcomes().size(); r++) {
                    List<String> line = new ArrayList<>();
                    line.add("`" + o.outcomes().get(r) + "`");
                    line.addAll(o.countTexts(r));
                    row(sb, line);
                }
            }
        }
        if (timings) {
            sb.append("\nWall time: ").append(Describe.seconds(report.wallTime())).append(" in all.\n");
        }
        for (NumberedTrace t : report.traces()) {
            sb.append("\n<a id=\"trace-").append(t.number()).append("\"></a>**")
                    .append(escape(Describe.traceTitle(t, report))).append("**\n\n");
            sb.append("```\n").append(t.violation()).append('\n').append(t.trace().render()).append("```\n\n");
            sb.append("Replay: `").append(t.replay()).append("`\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append("| ");
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            sb.append(cells.get(i).replace("|", "\\|"));
        }
        sb.append(" |\n");
    }

    /** Escapes the characters markdown would read as emphasis or tables in running text. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("|", "\\|");
    }
}
