package org.gupsim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.lang3.Validate;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreement;
import org.gupsim.compare.Mechanism;
import org.gupsim.compare.Mechanisms;
import org.gupsim.compare.NumberedTrace;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.StepMeaning;

/**
 * Renders a {@link ComparisonReport} as one self-contained HTML page: inline CSS, inline SVG, no
 * script, no external font, image or style sheet, so it reads the same offline (the only links out
 * are to the kernel's source, {@link KernelSource}, which load nothing). Its title names the
 * scenarios. The page holds, for each kernel and patch set, a table whose rows are the
 * architecture variants and whose columns are the scenarios (cells like {@code SAFE (412, all)}
 * or {@code UAF page-table (trace #3)}, the latter linking to its trace); then each scenario's
 * outcomes per variant as a table on the page (not only in tooltips, which a screenshot or a
 * print loses); then the disagreements, each naming the mechanisms that differ; then every
 * referenced trace as a {@link TraceSwimlane} diagram, whose lanes shade IRQs-off and RCU
 * read-side sections and grace periods, with a legend, the kernel functions it names linked to
 * their source at the cell's release, its replay command and the plain-text table.
 *
 * <p>The markup is also well-formed XML (every element closed, attributes quoted, text escaped)
 * so tools can parse it. Without timings the same report gives the same bytes.
 */
public final class HtmlReport extends NamedReportFormat {

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 24px;
                   color: #1b1b1b; background: #ffffff; }
            h1 { font-size: 22px; margin: 0 0 8px 0; }
            h2 { font-size: 18px; margin: 28px 0 8px 0; border-bottom: 1px solid #d5dae5; padding-bottom: 4px; }
            h3 { font-size: 15px; margin: 20px 0 6px 0; }
            p.inputs, p.summary { margin: 4px 0; color: #333; }
            code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
            table.verdicts { border-collapse: collapse; margin: 8px 0 16px 0; }
            table.verdicts th, table.verdicts td { border: 1px solid #c7cedb; padding: 5px 9px; text-align: left;
                   vertical-align: top; }
            table.verdicts caption { text-align: left; font-weight: bold; padding: 4px 0; }
            table.verdicts thead th { background: #e8ecf4; }
            table.verdicts th.variant { background: #f3f5f9; white-space: nowrap; }
            table.verdicts th.variant .full { display: block; font-weight: normal; color: #5b6477; font-size: 12px; }
            td.cell { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 13px; white-space: nowrap; }
            td.safe { background: #e3f4e1; }
            td.violation { background: #fbd9d6; font-weight: bold; }
            td.deadlock { background: #fde8c4; font-weight: bold; }
            td.na { background: #f0f0f0; color: #777; }
            td.cell .time { display: block; font-size: 11px; font-weight: normal; color: #5b6477; }
            td.cell:target { outline: 3px solid #1d4ed8; }
            td.cell a { color: #8a0012; }
            table.mechanisms { border-collapse: collapse; margin: 6px 0 12px 0; }
            table.mechanisms th, table.mechanisms td { border: 1px solid #d5dae5; padding: 3px 8px; text-align: left; }
            table.mechanisms td.differs { background: #ffe08a; font-weight: bold; }
            table.mechanisms td.also-differs { background: #fff6d6; }
            table.mechanisms td.unrelated { color: #5b6477; text-decoration: line-through; }
            section.trace { margin-top: 28px; }
            section.trace:target h3 { background: #fff3c4; }
            p.violation { color: #8a0012; font-weight: bold; }
            p.marks .fault { color: #b00020; font-weight: bold; }
            p.marks .free { color: #b86e00; font-weight: bold; }
            div.diagram { overflow-x: auto; border: 1px solid #e1e5ee; padding: 6px; background: #fcfcfe; }
            pre.trace-text { overflow-x: auto; background: #f6f7f9; padding: 8px; }
            .legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border: 1px solid #c7cedb; }
            .legend .safe { background: #e3f4e1; }
            .legend .violation { background: #fbd9d6; }
            .legend .deadlock { background: #fde8c4; }
            .legend .na { background: #f0f0f0; }
            table.outcomes { border-collapse: collapse; margin: 6px 0 14px 0; }
            table.outcomes caption { text-align: left; font-weight: bold; padding: 4px 0; }
            table.outcomes th, table.outcomes td { border: 1px solid #d5dae5; padding: 3px 8px; text-align: left; }
            table.outcomes thead th { background: #e8ecf4; }
            table.outcomes td.count { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; text-align: right; }
            table.outcomes td.none { color: #9aa3b5; }
            p.sections-legend span { display: inline-block; padding: 1px 8px; margin: 2px 6px 2px 0;
                   border-left: 6px solid #9aa3b5; background: #f3f5f9; }
            p.sections-legend .sec-irqs-off { border-left-color: #3b82f6; }
            p.sections-legend .sec-preemption-off { border-left-color: #14b8a6; }
            p.sections-legend .sec-rcu-read-side { border-left-color: #22c55e; }
            p.sections-legend .sec-grace-period { border-left-color: #7e22ce; }
            p.functions a.src { color: #1d4ed8; }
            """;

    /** The format {@code --format html} selects. */
    public HtmlReport() {
        super("html", "one self-contained HTML page with an SVG swimlane per trace", true);
    }

    /**
     * The page.
     *
     * @param report  the comparison
     * @param timings whether to show wall times; without them the same report gives the same bytes
     */
    @Override
    public String render(ComparisonReport report, boolean timings) {
        Validate.isTrue(report != null, "report must not be null");
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(esc(title(report))).append("</title>\n<style>\n").append(CSS).append(TraceSwimlane.CSS)
                .append("</style>\n</head>\n<body>\n");
        header(sb, report, timings);
        tables(sb, report, timings);
        outcomes(sb, report);
        disagreements(sb, report);
        traces(sb, report, timings);
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /** The id of the table cell for {@code report.cells().get(index)}. */
    public static String cellId(int index) {
        return "cell-" + index;
    }

    /** The id of the section of trace number {@code number}. */
    public static String traceId(int number) {
        return "trace-" + number;
    }

    private static void header(StringBuilder sb, ComparisonReport r, boolean timings) {
        sb.append("<h1>").append(esc(title(r))).append("</h1>\n<p class=\"inputs\">").append(esc(Describe.header(r))).append("</p>\n");
        long violations = r.cells().stream().filter(c -> c.trace() > 0).count();
        String summary = r.cells().size() + " cells, " + violations + " with a trace, "
                + r.disagreements().size() + " disagreement" + (r.disagreements().size() == 1 ? "" : "s");
        if (timings) {
            summary += "; wall time " + Describe.seconds(r.wallTime()) + " in all";
        }
        sb.append("<p class=\"summary\">").append(esc(summary)).append("</p>\n");
        sb.append("<p class=\"legend\"><span class=\"safe\">SAFE</span><span class=\"violation\">violation</span>")
                .append("<span class=\"deadlock\">DEADLOCK</span><span class=\"na\">N/A</span>")
                .append(esc(r.search().legend())).append("</p>\n");
    }

    /** Most scenarios the title names before it says how many more there are. */
    static final int TITLE_SCENARIOS = 5;

    /** {@code gupsim compare: gup-fast-vs-munmap, gup-fast-vs-evict}: the page's title and heading. */
    static String title(ComparisonReport r) {
        List<String> names = r.scenarios().stream().map(s -> s.name()).distinct().toList();
        String shown = String.join(", ", names.subList(0, Math.min(names.size(), TITLE_SCENARIOS)));
        if (names.size() > TITLE_SCENARIOS) {
            shown += " and " + (names.size() - TITLE_SCENARIOS) + " more";
        }
        return "gupsim compare: " + shown;
    }

    private static void tables(StringBuilder sb, ComparisonReport r, boolean timings) {
        sb.append("<h2 id=\"verdicts\">Verdicts</h2>\n");
        for (ReportTable t : ReportTable.of(r)) {
            table(sb, r, t, timings);
        }
    }

    private static void table(StringBuilder sb, ComparisonReport r, ReportTable t, boolean timings) {
        sb.append("<table class=\"verdicts\" data-kernel=\"").append(esc(t.kernel().label()))
                .append("\" data-patches=\"").append(esc(patchNames(t.patches()))).append("\">\n<caption>")
                .append(esc(t.title())).append("</caption>\n<thead><tr><th>variant</th>");
        for (String column : t.columns()) {
            sb.append("<th class=\"scenario\">").append(esc(column)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int row = 0; row < t.rows().size(); row++) {
            List<Integer> cells = t.cells().get(row);
            sb.append("<tr><th class=\"variant\"");
            cells.stream().filter(i -> i >= 0).findFirst().ifPresent(i ->
                    sb.append(" title=\"").append(esc(mechanismsText(r, r.cells().get(i).mechanisms()))).append('"'));
            sb.append('>').append(esc(t.rows().get(row))).append("</th>");
            for (int i : cells) {
                cell(sb, r, i, timings);
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder sb, ComparisonReport r, int index, boolean timings) {
        if (index < 0) {
            sb.append("<td class=\"cell none\"></td>");
            return;
        }
        CellResult c = r.cells().get(index);
        String cls = switch (c.verdict()) {
            case SAFE -> "safe";
            case VIOLATION -> "violation";
            case DEADLOCK -> "deadlock";
            case NOT_APPLICABLE -> "na";
        };
        sb.append("<td class=\"cell ").append(cls).append("\" id=\"").append(cellId(index))
                .append("\" data-scenario=\"").append(esc(c.scenario().name())).append("\" data-variant=\"")
                .append(esc(c.who())).append("\" title=\"").append(esc(cellTitle(c, timings))).append("\">");
        sb.append("<span class=\"verdict\">");
        if (c.trace() > 0) {
            sb.append("<a href=\"#").append(traceId(c.trace())).append("\">").append(esc(c.text())).append("</a>");
        } else {
            sb.append(esc(c.text()));
        }
        sb.append("</span>");
        if (timings && c.verdict() != CellVerdict.NOT_APPLICABLE) {
            sb.append("<span class=\"time\">").append(esc(Describe.seconds(c.wallTime()))).append("</span>");
        }
        sb.append("</td>");
    }

    private static String cellTitle(CellResult c, boolean timings) {
        List<String> parts = new ArrayList<>();
        if (c.reason() != null) {
            parts.add(c.reason());
        } else {
            parts.add(c.schedules() + " schedules" + (c.pruned() > 0 ? " (" + c.pruned() + " pruned)" : "")
                    + (c.exhausted() ? ", exhausted" : ", not exhausted"));
            if (!c.outcomes().isEmpty()) {
                parts.add("outcomes: " + c.outcomes().entrySet().stream().map(e -> e.getKey() + " \u00d7" + e.getValue())
                        .collect(Collectors.joining(", ")));
            }
            if (c.violation() != null) {
                parts.add(c.violation().toString());
            }
            if (timings) {
                parts.add(Describe.seconds(c.wallTime()));
            }
        }
        return String.join("; ", parts);
    }

    /** The outcome tables, shown on the page as the text report prints them. */
    private static void outcomes(StringBuilder sb, ComparisonReport r) {
        List<OutcomeTable> tables = OutcomeTable.of(r);
        if (tables.isEmpty()) {
            return;
        }
        sb.append("<h2 id=\"outcomes\">Outcomes</h2>\n<p class=\"outcomes-note\">").append(esc(Describe.outcomes(r)))
                .append("</p>\n");
        for (OutcomeTable o : tables) {
            sb.append("<table class=\"outcomes\">\n<caption>").append(esc(o.title()))
                    .append("</caption>\n<thead><tr><th>outcome</th>");
            for (String v : o.variants()) {
                sb.append("<th class=\"variant\">").append(esc(v)).append("</th>");
            }
            sb.append("</tr></thead>\n<tbody>\n");
            for (int row = 0; row < o.outcomes().size(); row++) {
                sb.append("<tr><th class=\"outcome\"><code>").append(esc(o.outcomes().get(row))).append("</code></th>");
                for (String count : o.countTexts(row)) {
                    sb.append("<td class=\"count").append(count.equals("-") ? " none" : "").append("\">")
                            .append(esc(count)).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</tbody>\n</table>\n");
        }
    }

    private static void disagreements(StringBuilder sb, ComparisonReport r) {
        sb.append("<h2 id=\"disagreements\">Disagreements</h2>\n");
        if (r.disagreements().isEmpty()) {
            sb.append("<p class=\"no-disagreements\">")
                    .append(esc("No disagreements: every scenario ends the same way on every variant it applies to."))
                    .append("</p>\n");
            return;
        }
        int n = 0;
        for (Disagreement d : r.disagreements()) {
            n++;
            sb.append("<div class=\"disagreement\" id=\"disagreement-").append(n).append("\">\n<p class=\"what\">")
                    .append(esc(Describe.disagreement(d))).append("</p>\n<ul>\n");
            for (String line : Describe.mechanismLines(d, r)) {
                sb.append("<li>").append(esc(line)).append("</li>\n");
            }
            sb.append("</ul>\n<table class=\"mechanisms\"><thead><tr><th>variant</th><th>cell</th>");
            for (Mechanism m : shown(r)) {
                sb.append("<th>").append(esc(m.label())).append("</th>");
            }
            sb.append("</tr></thead>\n<tbody>\n");
            for (Disagreement.Group g : d.groups()) {
                for (int idx : g.cells()) {
                    CellResult c = r.cells().get(idx);
                    sb.append("<tr><td><a href=\"#").append(cellId(idx)).append("\">").append(esc(c.who()))
                            .append("</a></td><td>");
                    if (c.trace() > 0) {
                        sb.append("<a href=\"#").append(traceId(c.trace())).append("\">").append(esc(c.text()))
                                .append("</a>");
                    } else {
                        sb.append(esc(c.text()));
                    }
                    sb.append("</td>");
                    for (Mechanism m : shown(r)) {
                        String cls = d.mechanisms().contains(m) ? " class=\"differs\""
                                : d.alsoDiffer().contains(m) ? " class=\"also-differs\""
                                : d.unrelated().contains(m) ? " class=\"unrelated\"" : "";
                        sb.append("<td").append(cls).append('>').append(esc(c.mechanisms().value(m))).append("</td>");
                    }
                    sb.append("</tr>\n");
                }
            }
            sb.append("</tbody></table>\n</div>\n");
        }
    }

    private static void traces(StringBuilder sb, ComparisonReport r, boolean timings) {
        sb.append("<h2 id=\"traces\">Traces</h2>\n");
        if (r.traces().isEmpty()) {
            sb.append("<p class=\"no-traces\">No cell found a violation.</p>\n");
            return;
        }
        for (NumberedTrace nt : r.traces()) {
            CellResult c = r.cells().get(nt.cell());
            Trace t = nt.trace();
            String id = traceId(nt.number());
            sb.append("<section class=\"trace\" id=\"").append(id).append("\">\n<h3>")
                    .append(esc(Describe.traceTitle(nt, r)))
                    .append(" <a class=\"back\" href=\"#").append(cellId(nt.cell())).append("\">(back to the table)</a>")
                    .append("</h3>\n<p class=\"violation\">").append(esc(nt.violation().toString())).append("</p>\n");
            marks(sb, t, id);
            KernelSource source = KernelSource.of(c.kernel());
            sb.append("<div class=\"diagram\">\n").append(TraceSwimlane.render(t, id, source)).append("</div>\n");
            sectionsLegend(sb, t);
            functions(sb, t, source);
            if (t.violation() != null && t.violationStep() == 0) {
                sb.append("<p>").append(esc("Reported after the last step: " + t.violation())).append("</p>\n");
            }
            if (t.outcome() != null) {
                sb.append("<p>outcome: <code>").append(esc(t.outcome())).append("</code></p>\n");
            }
            sb.append("<p>replay: <code class=\"replay\">").append(esc(nt.replay())).append("</code></p>\n");
            if (timings) {
                sb.append("<p>").append(esc("the cell took " + Describe.seconds(c.wallTime()) + " for "
                        + c.schedules() + " schedules")).append("</p>\n");
            }
            sb.append("<details><summary>as text</summary>\n<pre class=\"trace-text\">").append(esc(t.render()))
                    .append("</pre>\n</details>\n</section>\n");
        }
    }

    /** A sentence naming the freeing step and the faulting access, each linking to its box. */
    private static void marks(StringBuilder sb, Trace t, String id) {
        TraceMarks m = TraceMarks.of(t);
        if (m.faultStep() == 0) {
            return;
        }
        sb.append("<p class=\"marks\">");
        if (m.freeStep() > 0) {
            TraceRow free = row(t, m.freeStep());
            sb.append("<a class=\"free\" href=\"#").append(TraceSwimlane.stepId(id, m.freeStep())).append("\">")
                    .append(esc("step " + m.freeStep())).append("</a> ")
                    .append(esc(t.threads().get(free.thread()) + " frees: " + free.text())).append("; then ");
        }
        TraceRow fault = row(t, m.faultStep());
        sb.append("<a class=\"fault\" href=\"#").append(TraceSwimlane.stepId(id, m.faultStep())).append("\">")
                .append(esc("step " + m.faultStep())).append("</a> ")
                .append(esc(t.threads().get(fault.thread()) + " faults: " + fault.text())).append("</p>\n");
    }

    /** What the shading of this trace's diagram means, naming only the sections it has. */
    private static void sectionsLegend(StringBuilder sb, Trace t) {
        List<String> names = TraceSections.of(t).names();
        if (names.isEmpty()) {
            return;
        }
        sb.append("<p class=\"sections-legend\">shaded along the lanes: ");
        for (String name : names) {
            String what = StepMeaning.GRACE_PERIOD.equals(name)
                    ? "grace period (across all lanes, from call_rcu to the RCU thread seeing it over)"
                    : name + " (each CPU's own lane)";
            sb.append("<span class=\"").append(TraceSections.cssClass(name)).append("\">").append(esc(what))
                    .append("</span>");
        }
        sb.append("</p>\n");
    }

    /** The kernel functions the trace names, in order of first appearance, each linking to its source. */
    private static void functions(StringBuilder sb, Trace t, KernelSource source) {
        List<String> names = t.rows().stream().map(r -> KernelSource.identifier(r.function())).flatMap(Optional::stream)
                .distinct().toList();
        if (names.isEmpty()) {
            return;
        }
        sb.append("<p class=\"functions\">").append(esc("kernel functions (source of " + source.tag() + "): "));
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("<a class=\"src\" href=\"")
                    .append(esc(source.url(names.get(i)).orElseThrow())).append("\"><code>").append(esc(names.get(i)))
                    .append("</code></a>");
        }
        sb.append("</p>\n");
    }

    private static TraceRow row(Trace t, int step) {
        return t.rows().stream().filter(x -> x.step() == step).findFirst().orElseThrow();
    }

    private static String mechanismsText(ComparisonReport r, Mechanisms m) {
        return "shootdown " + m.value(Mechanism.FLUSH_STYLE) + ", tables freed " + m.value(Mechanism.TABLE_FREEING)
                + ", " + m.value(Mechanism.PAGE_TABLES) + ", options " + m.value(Mechanism.OPTIONS)
                + (r.weakMemory() ? ", memory model " + m.value(Mechanism.MEMORY_MODEL) : "");
    }

    /** The mechanisms a disagreement's table shows: the memory model only when the comparison has that axis. */
    private static List<Mechanism> shown(ComparisonReport r) {
        return Arrays.stream(Mechanism.values())
                .filter(m -> m != Mechanism.MEMORY_MODEL || r.weakMemory()).toList();
    }

    private static String patchNames(List<Patch> patches) {
        return patches.stream().map(Patch::name).sorted().collect(Collectors.joining(","));
    }

    private static String esc(String s) {
        return TraceSwimlane.esc(s);
    }
}
