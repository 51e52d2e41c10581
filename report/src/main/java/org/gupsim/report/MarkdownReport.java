package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.NumberedTrace;

/**
 * The report as GitHub-flavoured markdown, for a README or a mailing-list reply, in
 * {@link SectionedReport}'s order: the same tables as {@link TextReport}, the disagreements as a
 * list, the outcome tables, and each trace in a code block.
 */
public final class MarkdownReport extends SectionedReport {
    /** The format {@code --format markdown} selects. */
    public MarkdownReport() {
        super("markdown", "GitHub-flavoured markdown, for a README or a mailing-list reply", false);
    }

    @Override
    void header(StringBuilder sb, ComparisonReport report) {
        sb.append(escape(Describe.header(report))).append("\n\n");
    }

    /** {@code timings}: each cell's seconds in the cell. */
    @Override
    void table(StringBuilder sb, ReportTable t, ComparisonReport report, boolean timings) {
        sb.append("**").append(t.title()).append("**\n\n");
        List<String> head = cells("variant", t.columns());
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

    @Override
    void legend(StringBuilder sb, ComparisonReport report) {
        sb.append(escape(report.search().legend())).append('\n');
    }

    /** Nothing: the section is left out. */
    @Override
    void noDisagreements(StringBuilder sb) {
    }

    @Override
    void disagreementsHeading(StringBuilder sb) {
        sb.append("\n**Disagreements**\n\n");
    }

    @Override
    void disagreement(StringBuilder sb, Disagreement d, List<String> mechanismLines) {
        sb.append("- ").append(escape(Describe.disagreement(d))).append('\n');
        for (String line : mechanismLines) {
            sb.append("  - ").append(escape(line)).append('\n');
        }
    }

    @Override
    void outcomesHeading(StringBuilder sb, ComparisonReport report) {
        sb.append("\n**Outcomes**\n\n").append(escape(Describe.outcomes(report))).append('\n');
    }

    @Override
    void outcomeTable(StringBuilder sb, OutcomeTable o) {
        sb.append("\n*").append(escape(o.title())).append("*\n\n");
        row(sb, cells("outcome", o.variants().stream().map(v -> "`" + v + "`").toList()));
        row(sb, cells("---", o.variants().stream().map(v -> "---:").toList()));
        for (int r = 0; r < o.outcomes().size(); r++) {
            row(sb, cells("`" + o.outcomes().get(r) + "`", o.countTexts(r)));
        }
    }

    @Override
    void wallTimes(StringBuilder sb, ComparisonReport report) {
        sb.append("\nWall time: ").append(Describe.seconds(report.wallTime())).append(" in all.\n");
    }

    @Override
    void trace(StringBuilder sb, NumberedTrace t, ComparisonReport report) {
        sb.append("\n<a id=\"trace-").append(t.number()).append("\"></a>**")
                .append(escape(Describe.traceTitle(t, report))).append("**\n\n");
        sb.append("```\n").append(t.violation()).append('\n').append(t.trace().render()).append("```\n\n");
        sb.append("Replay: `").append(t.replay()).append("`\n");
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
