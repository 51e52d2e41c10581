package org.gupsim.report;

import java.util.List;
import java.util.Locale;
import org.apache.commons.lang3.Validate;
import org.apache.commons.text.StringEscapeUtils;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;

/**
 * Draws a {@link Trace} as an SVG swimlane diagram: one vertical lane per thread (the CPUs, the
 * RCU thread, whatever {@link Trace#threads()} names), steps in order top to bottom, each step a
 * box in its thread's lane holding {@link TraceRow#text()}. The faulting access and the step
 * that freed what it touched ({@link TraceMarks}) are highlighted, linked to each other (clicking
 * one jumps to the other) and joined by an arrow from the free to the fault.
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
            """;

    /** Longest box text in characters; longer texts are cut with an ellipsis (the full text is the box's title). */
    static final int MAX_CHARS = 64;

    private static final int CHAR_W_TENTHS = 68;
    private static final int ROW_H = 20;
    private static final int BOX_H = 16;
    private static final int GUTTER = 76;
    private static final int HEADER_H = 30;
    private static final int LANE_GAP = 10;
    private static final int PAD = 6;
    private static final int MIN_LANE = 90;

    private TraceSwimlane() {
    }

    /**
     * The SVG of {@code trace}.
     *
     * @param trace    the trace to draw
     * @param idPrefix prefix of every id in the SVG (letters, digits, '-' and '_', starting with a
     *                 letter), e.g. {@code "trace-3"}; the step boxes are {@code idPrefix + "-s" + step}
     */
    public static String render(Trace trace, String idPrefix) {
        Validate.isTrue(trace != null, "trace must not be null");
        Validate.isTrue(idPrefix != null && idPrefix.matches("[A-Za-z][A-Za-z0-9_-]*"),
                "idPrefix must be a letter followed by letters, digits, '-' or '_', got %s", idPrefix);
        TraceMarks marks = TraceMarks.of(trace);
        List<String> threads = trace.threads();
        int n = threads.size();
        int[] laneX = new int[n];
        int[] laneW = new int[n];
        int x = GUTTER;
        for (int t = 0; t < n; t++) {
            int chars = threads.get(t).length();
            for (TraceRow r : trace.rows()) {
                if (r.thread() == t) {
                    chars = Math.max(chars, Math.min(MAX_CHARS, r.text().length()));
                }
            }
            laneX[t] = x;
            laneW[t] = Math.max(MIN_LANE, textWidth(chars) + 2 * PAD);
            x += laneW[t] + LANE_GAP;
        }
        int width = x - LANE_GAP + PAD;
        int height = HEADER_H + trace.rows().size() * ROW_H + PAD;

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

        gutter(sb, trace, marks);
        for (int t = 0; t < n; t++) {
            lane(sb, trace, t, laneX[t], laneW[t], height, idPrefix, marks);
        }
        if (marks.faultStep() > 0 && marks.freeStep() > 0) {
            arrow(sb, trace, marks, laneX, laneW, idPrefix);
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** The id of a step's box in a diagram rendered with {@code idPrefix}. */
    public static String stepId(String idPrefix, int step) {
        return idPrefix + "-s" + step;
    }

    private static void gutter(StringBuilder sb, Trace trace, TraceMarks marks) {
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
                    .append(baseline(i)).append("\">").append(label).append("</text>\n");
        }
        sb.append("</g>\n");
    }

    private static void lane(StringBuilder sb, Trace trace, int t, int x, int w, int height, String idPrefix,
            TraceMarks marks) {
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
        for (int i = 0; i < trace.rows().size(); i++) {
            TraceRow r = trace.rows().get(i);
            if (r.thread() != t) {
                continue;
            }
            step(sb, trace, r, i, x, w, idPrefix, marks);
        }
        sb.append("</g>\n");
    }

    private static void step(StringBuilder sb, Trace trace, TraceRow r, int i, int x, int w, String idPrefix,
            TraceMarks marks) {
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
        int y = HEADER_H + i * ROW_H + (ROW_H - BOX_H) / 2;
        sb.append("<g class=\"").append(cls).append("\" id=\"").append(stepId(idPrefix, r.step()))
                .append("\" data-step=\"").append(r.step()).append("\"><title>").append(esc(title))
                .append("</title><rect x=\"").append(x + PAD / 2).append("\" y=\"").append(y)
                .append("\" width=\"").append(w - PAD).append("\" height=\"").append(BOX_H)
                .append("\" rx=\"3\"/><text x=\"").append(x + PAD).append("\" y=\"").append(baseline(i))
                .append("\">").append(esc(cut(r.text()))).append("</text></g>");
        if (link != null) {
            sb.append("</a>");
        }
        sb.append('\n');
    }

    /** A dashed curve from the freeing box to the faulting box, ending in an arrowhead. */
    private static void arrow(StringBuilder sb, Trace trace, TraceMarks marks, int[] laneX, int[] laneW,
            String idPrefix) {
        int freeIdx = indexOf(trace, marks.freeStep());
        int faultIdx = indexOf(trace, marks.faultStep());
        int ft = trace.rows().get(freeIdx).thread();
        int gt = trace.rows().get(faultIdx).thread();
        int y1 = HEADER_H + freeIdx * ROW_H + ROW_H / 2;
        int y2 = HEADER_H + faultIdx * ROW_H + ROW_H / 2;
        int x1;
        int x2;
        int c1;
        int c2;
        if (gt < ft) {
            x1 = laneX[ft] + PAD / 2;
            x2 = laneX[gt] + laneW[gt] - PAD / 2;
            c1 = x1 - 40;
            c2 = x2 + 40;
        } else if (gt > ft) {
            x1 = laneX[ft] + laneW[ft] - PAD / 2;
            x2 = laneX[gt] + PAD / 2;
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

    private static int baseline(int rowIndex) {
        return HEADER_H + rowIndex * ROW_H + ROW_H / 2 + 4;
    }

    private static int textWidth(int chars) {
        return (chars * CHAR_W_TENTHS + 9) / 10;
    }

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "\u2026";
    }

    /** XML-escapes text and attribute values (quotes included) and drops characters XML 1.0 forbids. */
    static String esc(String s) {
        return StringEscapeUtils.escapeXml10(s);
    }
}
