package org.gupsim.explore;

import java.util.List;
import org.gupsim.sched.Violation;

/**
 * What one execution did, step by step, and how it ended.
 *
 * @param threads       the thread names, by index
 * @param rows          one row per step
 * @param schedule      the schedule string that replays this execution (see {@link Schedule})
 * @param violation     the violation that ended the execution, or null
 * @param violationStep the step during which the violation was reported, or 0 when it was not
 *                      reported during a step (start-up, deadlock, step budget, final checks)
 * @param outcome       the observed outcome when all threads finished, else null
 * @param cutOff        when the step budget ran out before every thread finished, which budget and
 *                      where each unfinished thread was; else null. No verdict: the execution was
 *                      cut off, not judged
 */
public record Trace(List<String> threads, List<TraceRow> rows, String schedule, Violation violation,
        int violationStep, String outcome, String cutOff) {

    public Trace {
        threads = List.copyOf(threads);
        rows = List.copyOf(rows);
    }

    /** A trace of an execution that was not cut off by the step budget. */
    public Trace(List<String> threads, List<TraceRow> rows, String schedule, Violation violation, int violationStep,
            String outcome) {
        this(threads, rows, schedule, violation, violationStep, outcome, null);
    }

    /** The rows as a table with one column per thread, the violating step marked with {@code <==}. */
    public String render() {
        int n = threads.size();
        int[] width = new int[n];
        for (int t = 0; t < n; t++) {
            width[t] = threads.get(t).length();
        }
        for (TraceRow r : rows) {
            width[r.thread()] = Math.max(width[r.thread()], r.text().length());
        }
        int stepWidth = Math.max(4, Integer.toString(rows.size()).length());
        StringBuilder sb = new StringBuilder();
        line(sb, pad("step", stepWidth, true), threads, width, null);
        List<String> rules = new java.util.ArrayList<>();
        for (int t = 0; t < n; t++) {
            rules.add("-".repeat(width[t]));
        }
        line(sb, "-".repeat(stepWidth), rules, width, null);
        for (TraceRow r : rows) {
            String[] cells = new String[n];
            java.util.Arrays.fill(cells, "");
            cells[r.thread()] = r.text();
            String mark = violation != null && violationStep == r.step() ? "<== " + violation : null;
            line(sb, pad(Integer.toString(r.step()), stepWidth, true), List.of(cells), width, mark);
        }
        if (violation != null && violationStep == 0) {
            sb.append("==> ").append(violation).append('\n');
        }
        if (outcome != null) {
            sb.append("outcome: ").append(outcome).append('\n');
        }
        if (cutOff != null) {
            sb.append("cut off (no verdict): ").append(cutOff).append('\n');
        }
        sb.append("schedule: ").append(schedule).append('\n');
        return sb.toString();
    }

    private static void line(StringBuilder sb, String first, List<String> cells, int[] width, String mark) {
        StringBuilder l = new StringBuilder(first);
        for (int t = 0; t < cells.size(); t++) {
            l.append("  ").append(pad(cells.get(t), width[t], false));
        }
        if (mark != null) {
            l.append("  ").append(mark);
        }
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        sb.append(l, 0, end).append('\n');
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? fill + s : s + fill;
    }
}
