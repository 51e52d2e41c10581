package org.gupsim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.lang3.Validate;
import org.apache.commons.text.StringEscapeUtils;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;

/**
 * Draws a {@link Trace} as an SVG swimlane diagram: one vertical lane per thread (the CPUs, the
 * RCU thread, whatever {@link Trace#threads()} names), steps in order top to bottom, each step a
 * box in its thread's lane holding {@link TraceRow#text()}, wrapped over as many lines as it needs
 * (up to {@link #MAX_LINES}; only a longer text is cut, its whole text being the box's title).
 * The faulting access and the step that freed what it touched ({@link TraceMarks}) are
 * highlighted, linked to each other (clicking one jumps to the other) and joined by an arrow from
 * the free to the fault. Each thread's sections (IRQs off, preemption off, RCU read side) are
 * shaded along its lane from the step that begins them to the one that ends them, and each grace
 * period across all lanes ({@link TraceSections}): whether a grace period ended inside a walker's
 * IRQs-off section is what a reviewer looks for. Given a {@link KernelSource}, the function name
 * of each step links to its source.
 *
 * <p>The SVG is meant to be embedded in an HTML page ({@link HtmlReport}): it carries no
 * namespace declaration (HTML puts an inline {@code <svg>} in the SVG namespace) and no styles of
 * its own; its classes are styled by {@link #CSS}. Every id starts with the caller's prefix, so
 * several diagrams can share one page. All text is XML-escaped; coordinates are integers
 * computed from the text lengths (monospace font), so the same trace gives the same bytes. The
 * drawing scales with the page (a {@code viewBox} and a width of 100%, at most its natural width
 * and at least three quarters of it), so every lane of a long trace fits a laptop's window.
 */
public final class TraceSwimlane {

    /** The style sheet for the classes the diagrams use. */
    public static final String CSS = """
            svg.swimlane { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 11px;
                           display: block; height: auto; }
            svg.swimlane .lane-bg { fill: #f7f8fb; stroke: #d5dae5; }
            svg.swimlane .lane:nth-of-type(even) .lane-bg { fill: #eef1f7; }
            svg.swimlane .lane-name { font-weight: bold; fill: #1d2a44; }
            svg.swimlane .lifeline { stroke: #b9c2d3; stroke-dasharray: 2 3; }
            svg.swimlane .step rect { fill: #ffffff; stroke: #aab4c8; }
            svg.swimlane .step text { fill: #1b1b1b; }
            svg.swimlane .step a.src tspan { fill: #1d4ed8; text-decoration: underline; }
            svg.swimlane .step.acc-free rect { fill: #fff1dc; stroke: #d9a55a; }
            svg.swimlane .step.acc-ipi rect { fill: #efe6fb; stroke: #9a7cc9; }
            svg.swimlane .step.free rect { fill: #ffc766; stroke: #b86e00; stroke-width: 2; }
            svg.swimlane .step.fault rect { fill: #ffb3b3; stroke: #b00020; stroke-width: 2; }
            svg.swimlane .step:target rect { stroke: #000000; stroke-width: 3; }
            svg.swimlane a .step { cursor: pointer; }
            svg.swimlane .step-no { fill: #6b7385; text-anchor: end; }
            svg.swimlane .step-no.fault { fill: #b00020; font-weight: bold; }
            svg.swimlane .step-no.free { fill: #b86e00; font-weight: bold; }
            svg.swimlane .free-to-fault { fill: none; stroke: #b00020; stroke-width: 1.5; stroke-dasharray: 5 3; }
            svg.swimlane .arrowhead { fill: #b00020; }
            svg.swimlane .section { fill: #9aa3b5; fill-opacity: 0.16; stroke: none; }
            svg.swimlane .section-edge { fill: #6b7385; stroke: none; }
            svg.swimlane .section.open { fill-opacity: 0.08; }
            svg.swimlane .section-edge.open { fill-opacity: 0.5; }
            svg.swimlane .sec-irqs-off { fill: #3b82f6; }
            svg.swimlane .sec-preemption-off { fill: #14b8a6; }
            svg.swimlane .sec-rcu-read-side { fill: #22c55e; }
            svg.swimlane .grace-period { fill: #a855f7; fill-opacity: 0.10; stroke: #7e22ce; stroke-width: 1;
                                         stroke-dasharray: 6 3; pointer-events: none; }
            svg.swimlane .grace-period-edge { fill: #7e22ce; }
            """;

    /** Longest line of box text in characters; a longer text wraps onto further lines. */
    static final int MAX_CHARS = 64;
    /** Most lines a box shows; a text longer than that is cut with an ellipsis (its whole text is the box's title). */
    static final int MAX_LINES = 4;

    private static final int CHAR_W_TENTHS = 68;
    private static final int ROW_H = 20;
    private static final int LINE_H = 13;
    private static final int GUTTER = 76;
    private static final int HEADER_H = 30;
    private static final int LANE_GAP = 10;
    private static final int PAD = 6;
    private static final int MIN_LANE = 90;
    /** Width of the bar at a lane's left edge (and in the gutter, for grace periods) marking a section. */
    private static final int EDGE_W = 4;

    private TraceSwimlane() {
    }

    /** The rows' vertical layout: where each row starts and how tall it is. */
    private record Layout(int[] top, int[] height, List<List<String>> lines, int bottom) {
        static Layout of(Trace trace) {
            int n = trace.rows().size();
            int[] top = new int[n];
            int[] height = new int[n];
            List<List<String>> lines = new ArrayList<>();
            int y = HEADER_H;
            for (int i = 0; i < n; i++) {
                List<String> l = wrap(trace.rows().get(i).text());
                lines.add(l);
                top[i] = y;
                height[i] = ROW_H + (l.size() - 1) * LINE_H;
                y += height[i];
            }
            return new Layout(top, height, lines, y);
        }

        int baseline(int row) {
            return top[row] + ROW_H / 2 + 4;
        }

        int middle(int row) {
            return top[row] + height[row] / 2;
        }

        int end(int row) {
            return top[row] + height[row];
        }
    }

    /** The SVG of {@code trace}, without links to the kernel's source. */
    public static String render(Trace trace, String idPrefix) {
        return render(trace, idPrefix, null);
    }

    /**
     * The SVG of {@code trace}.
     *
     * @param trace    the trace to draw
     * @param idPrefix prefix of every id in the SVG (letters, digits, '-' and '_', starting with a
     *                 letter), e.g. {@code "trace-3"}; the step boxes are {@code idPrefix + "-s" + step}
     * @param source   where each step's function name links to, or null for no links
     */
    public static String render(Trace trace, String idPrefix, KernelSource source) {
        Validate.isTrue(trace != null, "trace must not be null");
        Validate.isTrue(idPrefix != null && idPrefix.matches("[A-Za-z][A-Za-z0-9_-]*"),
                "idPrefix must be a letter followed by letters, digits, '-' or '_', got %s", idPrefix);
        TraceMarks marks = TraceMarks.of(trace);
        TraceSections sections = TraceSections.of(trace);
        Layout layout = Layout.of(trace);
        List<String> threads = trace.threads();
        int n = threads.size();
        int[] laneX = new int[n];
        int[] laneW = new int[n];
        int[] inset = new int[n];
        int x = GUTTER;
        for (int t = 0; t < n; t++) {
            int chars = threads.get(t).length();
            for (int i = 0; i < trace.rows().size(); i++) {
                if (trace.rows().get(i).thread() == t) {
                    for (String line : layout.lines().get(i)) {
                        chars = Math.max(chars, line.length());
                    }
                }
            }
            laneX[t] = x;
            inset[t] = EDGE_W * Math.max(1, sectionKinds(sections, t).size());
            laneW[t] = Math.max(MIN_LANE, textWidth(chars) + 2 * PAD + inset[t]);
            x += laneW[t] + LANE_GAP;
        }
        int width = x - LANE_GAP + PAD;
        int height = layout.bottom() + PAD;

        StringBuilder sb = new StringBuilder();
        // Scales to the page: as wide as its container up to its natural size, never below three
        // quarters of it (the text would be too small to read; the container scrolls instead).
        // The height follows from the viewBox's aspect ratio.
        sb.append("<svg class=\"swimlane\" id=\"").append(idPrefix).append("-svg\" width=\"100%\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" style=\"max-width: ").append(width)
                .append("px; min-width: ").append(width * 3 / 4).append("px\" role=\"img\" aria-label=\"")
                .append(esc("trace with " + trace.rows().size() + " steps on " + String.join(", ", threads)))
                .append("\">\n");
        sb.append("<defs><marker id=\"").append(idPrefix).append("-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\"")
                .append(" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path class=\"arrowhead\"")
                .append(" d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n");

        gutter(sb, trace, marks, layout);
        for (int t = 0; t < n; t++) {
            lane(sb, trace, t, laneX[t], laneW[t], inset[t], height, idPrefix, marks, sections, layout, source);
        }
        gracePeriods(sb, trace, sections, layout, width, height, idPrefix);
        if (marks.faultStep() > 0 && marks.freeStep() > 0) {
            arrow(sb, trace, marks, laneX, laneW, inset, idPrefix, layout);
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** The id of a step's box in a diagram rendered with {@code idPrefix}. */
    public static String stepId(String idPrefix, int step) {
        return idPrefix + "-s" + step;
    }

    private static void gutter(StringBuilder sb, Trace trace, TraceMarks marks, Layout layout) {
        sb.append("<g class=\"gutter\">\n");
        sb.append("<text class=\"step-no\" x=\"").append(GUTTER - PAD).append("\" y=\"").append(HEADER_H - 10)
                .append("\">step</text>\n");
        for (int i = 0; i < trace.rows().size(); i++) {
            int step = trace.rows().get(i).step();
            String cls = "step-no";
            String label = Integer.toString(step);
            if (step == marks.faultStep()) {
                cls += " fault";
                label = "fault " + label;
            } else if (step == marks.freeStep()) {
                cls += " free";
                label = "free " + label;
            }
            sb.append("<text class=\"").append(cls).append("\" x=\"").append(GUTTER - PAD).append("\" y=\"")
                    .append(layout.baseline(i)).append("\">").append(label).append("</text>\n");
        }
        sb.append("</g>\n");
    }

    private static void lane(StringBuilder sb, Trace trace, int t, int x, int w, int inset, int height,
            String idPrefix, TraceMarks marks, TraceSections sections, Layout layout, KernelSource source) {
        String name = trace.threads().get(t);
        sb.append("<g class=\"lane\" id=\"").append(idPrefix).append("-lane-").append(t)
                .append("\" data-thread=\"").append(esc(name)).append("\">\n");
        sb.append("<rect class=\"lane-bg\" x=\"").append(x).append("\" y=\"0\" width=\"").append(w)
                .append("\" height=\"").append(height).append("\" rx=\"4\"/>\n");
        sb.append("<text class=\"lane-name\" x=\"").append(x + PAD).append("\" y=\"").append(HEADER_H - 10)
                .append("\">").append(esc(name)).append("</text>\n");
        int mid = x + w / 2;
        sb.append("<line class=\"lifeline\" x1=\"").append(mid).append("\" y1=\"").append(HEADER_H)
                .append("\" x2=\"").append(mid).append("\" y2=\"").append(height - PAD).append("\"/>\n");
        sections(sb, trace, t, x, w, height, idPrefix, sections, layout);
        for (int i = 0; i < trace.rows().size(); i++) {
            TraceRow r = trace.rows().get(i);
            if (r.thread() != t) {
                continue;
            }
            step(sb, trace, r, i, x + inset, w - inset, idPrefix, marks, layout, source);
        }
        sb.append("</g>\n");
    }

    /**
     * The thread's sections, shaded behind its steps from the top of the step that begins one to
     * the bottom of the one that ends it, with a bar along the lane's left edge. Sections of
     * different kinds overlap; their shades add up and their bars stand side by side.
     */
    private static void sections(StringBuilder sb, Trace trace, int t, int x, int w, int height, String idPrefix,
            TraceSections sections, Layout layout) {
        List<String> kinds = sectionKinds(sections, t);
        int k = 0;
        for (TraceSections.Extent e : sections.extents()) {
            if (e.gracePeriod() || e.thread() != t) {
                continue;
            }
            int y1 = layout.top()[e.from()];
            int y2 = e.open() ? height - PAD : layout.end(e.to());
            String cls = e.cssClass() + (e.open() ? " open" : "");
            String title = trace.threads().get(t) + ": " + e.section() + " from step "
                    + trace.rows().get(e.from()).step()
                    + (e.open() ? " to the end of the trace" : " to step " + trace.rows().get(e.to()).step());
            int edgeX = x + 1 + kinds.indexOf(e.section()) * EDGE_W;
            sb.append("<g class=\"section-extent\" id=\"").append(idPrefix).append("-lane-").append(t)
                    .append("-sec-").append(++k).append("\" data-section=\"").append(esc(e.section()))
                    .append("\" data-from=\"").append(trace.rows().get(e.from()).step()).append("\" data-to=\"")
                    .append(e.open() ? "" : Integer.toString(trace.rows().get(e.to()).step())).append("\"><title>")
                    .append(esc(title)).append("</title><rect class=\"section ").append(cls).append("\" x=\"")
                    .append(x + 1).append("\" y=\"").append(y1).append("\" width=\"").append(w - 2)
                    .append("\" height=\"").append(y2 - y1).append("\"/><rect class=\"section-edge ").append(cls)
                    .append("\" x=\"").append(edgeX).append("\" y=\"").append(y1).append("\" width=\"")
                    .append(EDGE_W - 1).append("\" height=\"").append(y2 - y1).append("\"/></g>\n");
        }
    }

    /** The kinds of section thread {@code t} has in the trace, sorted: each gets its own bar at the lane's edge. */
    private static List<String> sectionKinds(TraceSections sections, int t) {
        return sections.extents().stream().filter(e -> !e.gracePeriod() && e.thread() == t)
                .map(TraceSections.Extent::section).distinct().sorted().toList();
    }

    /**
     * Each grace period: a band across every lane from the top of the {@code call_rcu()} that
     * began waiting for it to the bottom of the step that saw it over, drawn over the lanes but
     * faint and letting clicks through, with a bar in the gutter.
     */
    private static void gracePeriods(StringBuilder sb, Trace trace, TraceSections sections, Layout layout,
            int width, int height, String idPrefix) {
        int k = 0;
        for (TraceSections.Extent e : sections.extents()) {
            if (!e.gracePeriod()) {
                continue;
            }
            int y1 = layout.top()[e.from()];
            int y2 = e.open() ? height - PAD : layout.end(e.to());
            String title = "grace period: waited for from step " + trace.rows().get(e.from()).step() + " ("
                    + trace.threads().get(e.thread()) + ")"
                    + (e.open() ? ", not over when the trace ends" : ", over at step " + trace.rows().get(e.to()).step());
            sb.append("<g class=\"grace\" id=\"").append(idPrefix).append("-gp-").append(++k)
                    .append("\" data-from=\"").append(trace.rows().get(e.from()).step()).append("\" data-to=\"")
                    .append(e.open() ? "" : Integer.toString(trace.rows().get(e.to()).step())).append("\"><title>")
                    .append(esc(title)).append("</title><rect class=\"grace-period").append(e.open() ? " open" : "")
                    .append("\" x=\"").append(GUTTER).append("\" y=\"").append(y1).append("\" width=\"")
                    .append(width - PAD - GUTTER).append("\" height=\"").append(y2 - y1)
                    .append("\"/><rect class=\"grace-period-edge\" x=\"").append(PAD).append("\" y=\"").append(y1)
                    .append("\" width=\"").append(EDGE_W).append("\" height=\"").append(y2 - y1).append("\"/></g>\n");
        }
    }

    private static void step(StringBuilder sb, Trace trace, TraceRow r, int i, int x, int w, String idPrefix,
            TraceMarks marks, Layout layout, KernelSource source) {
        String cls = "step";
        String title = r.text();
        String link = null;
        if (r.access() != null) {
            cls += " acc-" + r.access().name().toLowerCase(Locale.ROOT);
        }
        if (r.step() == marks.faultStep()) {
            cls += " fault";
            title += " <== " + trace.violation();
            if (marks.freeStep() > 0) {
                link = stepId(idPrefix, marks.freeStep());
                title += " (click: the freeing step " + marks.freeStep() + ")";
            }
        } else if (r.step() == marks.freeStep()) {
            cls += " free";
            link = stepId(idPrefix, marks.faultStep());
            title += " (click: the faulting access, step " + marks.faultStep() + ")";
        }
        if (link != null) {
            sb.append("<a href=\"#").append(link).append("\" class=\"")
                    .append(r.step() == marks.faultStep() ? "to-free" : "to-fault").append("\">");
        }
        int left = x + PAD / 2;
        sb.append("<g class=\"").append(cls).append("\" id=\"").append(stepId(idPrefix, r.step()))
                .append("\" data-step=\"").append(r.step()).append("\"><title>").append(esc(title))
                .append("</title><rect x=\"").append(left).append("\" y=\"").append(layout.top()[i] + 2)
                .append("\" width=\"").append(x + w - PAD / 2 - left).append("\" height=\"")
                .append(layout.height()[i] - 4).append("\" rx=\"3\"/><text x=\"").append(left + PAD / 2)
                .append("\" y=\"").append(layout.baseline(i)).append("\">");
        List<String> lines = layout.lines().get(i);
        // The function name opens the first line; it links to its source unless the whole box is
        // already a link (an SVG link cannot hold another).
        String url = link == null && source != null ? source.url(r.function()).orElse(null) : null;
        String id = url == null ? null : KernelSource.identifier(r.function()).orElseThrow();
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l);
            String pos = l == 0 ? "" : " x=\"" + (left + PAD / 2) + "\" dy=\"" + LINE_H + "\"";
            if (l == 0 && url != null && line.startsWith(id)) {
                sb.append("<tspan").append(pos).append("><a class=\"src\" href=\"").append(esc(url))
                        .append("\"><tspan>").append(esc(id)).append("</tspan></a>")
                        .append(esc(line.substring(id.length()))).append("</tspan>");
            } else {
                sb.append("<tspan").append(pos).append('>').append(esc(line)).append("</tspan>");
            }
        }
        sb.append("</text></g>");
        if (link != null) {
            sb.append("</a>");
        }
        sb.append('\n');
    }

    /**
     * {@code text} in lines of at most {@link #MAX_CHARS}, broken after a space, comma, colon,
     * slash or opening parenthesis where one falls in the second half of a line, else mid-word;
     * joined again the lines give back the text. Past {@link #MAX_LINES} the last line ends in an
     * ellipsis.
     */
    static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (text.length() - start > MAX_CHARS) {
            if (lines.size() == MAX_LINES - 1) {
                lines.add(text.substring(start, start + MAX_CHARS - 1) + "\u2026");
                return lines;
            }
            int cut = start + MAX_CHARS;
            for (int j = start + MAX_CHARS; j > start + MAX_CHARS / 2; j--) {
                if (" ,:/(".indexOf(text.charAt(j - 1)) >= 0) {
                    cut = j;
                    break;
                }
            }
            lines.add(text.substring(start, cut));
            start = cut;
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** A dashed curve from the freeing box to the faulting box, ending in an arrowhead. */
    private static void arrow(StringBuilder sb, Trace trace, TraceMarks marks, int[] laneX, int[] laneW,
            int[] inset, String idPrefix, Layout layout) {
        int freeIdx = indexOf(trace, marks.freeStep());
        int faultIdx = indexOf(trace, marks.faultStep());
        int ft = trace.rows().get(freeIdx).thread();
        int gt = trace.rows().get(faultIdx).thread();
        int y1 = layout.middle(freeIdx);
        int y2 = layout.middle(faultIdx);
        int x1;
        int x2;
        int c1;
        int c2;
        if (gt < ft) {
            x1 = laneX[ft] + inset[ft] + PAD / 2;
            x2 = laneX[gt] + laneW[gt] - PAD / 2;
            c1 = x1 - 40;
            c2 = x2 + 40;
        } else if (gt > ft) {
            x1 = laneX[ft] + laneW[ft] - PAD / 2;
            x2 = laneX[gt] + inset[gt] + PAD / 2;
            c1 = x1 + 40;
            c2 = x2 - 40;
        } else {
            x1 = laneX[ft] + laneW[ft] - PAD / 2;
            x2 = x1;
            c1 = x1 + LANE_GAP + 30;
            c2 = c1;
        }
        sb.append("<path class=\"free-to-fault\" id=\"").append(idPrefix).append("-free-to-fault\" d=\"M")
                .append(x1).append(',').append(y1).append(" C").append(c1).append(',').append(y1).append(' ')
                .append(c2).append(',').append(y2).append(' ').append(x2).append(',').append(y2)
                .append("\" marker-end=\"url(#").append(idPrefix).append("-arrow)\"/>\n");
    }

    private static int indexOf(Trace trace, int step) {
        for (int i = 0; i < trace.rows().size(); i++) {
            if (trace.rows().get(i).step() == step) {
                return i;
            }
        }
        throw new IllegalArgumentException("step " + step + " is not in the trace");
    }

    private static int textWidth(int chars) {
        return (chars * CHAR_W_TENTHS + 9) / 10;
    }

    /** XML-escapes text and attribute values (quotes included) and drops characters XML 1.0 forbids. */
    static String esc(String s) {
        return StringEscapeUtils.escapeXml10(s);
    }
}
