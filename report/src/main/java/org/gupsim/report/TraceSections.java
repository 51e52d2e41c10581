package org.gupsim.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.sched.StepMeaning;

/**
 * The extents a reviewer of a GUP-fast trace looks for, found from the steps' {@link StepMeaning}s:
 * each thread's sections (IRQs off, preemption off, RCU read side: whatever a step says it begins
 * or ends) and each grace period, from the {@code call_rcu()} that began waiting for it to the step
 * of the RCU thread that saw it over. Whether a table could be freed under a lockless walker is
 * whether a grace period ended while the walker's IRQs-off section was still open.
 *
 * <p>A thread's sections of one kind nest (an END closes the latest BEGIN of its kind on that
 * thread). Grace periods are paired first in, first out: an END closes the oldest one still
 * waiting (the RCU thread runs one callback per {@code rcu_gp_wait}, the oldest ready). A section
 * or grace period still open when the trace ends reaches to its end, marked {@link Extent#open}.
 *
 * @param extents every extent, in order of the row it begins at, then thread, then section
 */
public record TraceSections(List<Extent> extents) {

    /**
     * One extent.
     *
     * @param section the section's name, e.g. {@code IRQs off} or {@link StepMeaning#GRACE_PERIOD}
     * @param thread  the thread whose section it is; for a grace period the thread that queued the callback
     * @param from    the index in {@link Trace#rows()} of the step that begins it
     * @param to      the index of the step that ends it; the last row's index when {@link #open}
     * @param open    whether it had not ended when the trace did
     */
    public record Extent(String section, int thread, int from, int to, boolean open) {
        public Extent {
            Validate.notBlank(section, "section must not be blank");
            Validate.isTrue(thread >= 0, "thread must not be negative, was %d", thread);
            Validate.isTrue(from >= 0 && to >= from, "need 0 <= from <= to, was %d..%d", from, to);
        }

        /** Whether it is a grace period (drawn across every lane) rather than one thread's section. */
        public boolean gracePeriod() {
            return StepMeaning.GRACE_PERIOD.equals(section);
        }

        /** The section as a CSS class: {@code sec-irqs-off}, {@code sec-grace-period}. */
        public String cssClass() {
            return TraceSections.cssClass(section);
        }
    }

    public TraceSections {
        extents = List.copyOf(extents);
    }

    /** The extents of {@code trace}. */
    public static TraceSections of(Trace trace) {
        Validate.isTrue(trace != null, "trace must not be null");
        List<TraceRow> rows = trace.rows();
        List<Extent> out = new ArrayList<>();
        // Keys are "thread/section": a TreeMap, so what is left open at the end comes out in a fixed order.
        TreeMap<String, Deque<Integer>> openSections = new TreeMap<>();
        Deque<Integer> openGracePeriods = new ArrayDeque<>();
        for (int i = 0; i < rows.size(); i++) {
            StepMeaning m = rows.get(i).meaning();
            if (m == null || m.section() == null) {
                continue;
            }
            if (StepMeaning.GRACE_PERIOD.equals(m.section())) {
                if (m.edge() == StepMeaning.Edge.BEGIN) {
                    openGracePeriods.addLast(i);
                } else if (!openGracePeriods.isEmpty()) {
                    int from = openGracePeriods.removeFirst();
                    out.add(new Extent(m.section(), rows.get(from).thread(), from, i, false));
                }
                continue;
            }
            String key = rows.get(i).thread() + "/" + m.section();
            Deque<Integer> stack = openSections.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (m.edge() == StepMeaning.Edge.BEGIN) {
                stack.push(i);
            } else if (!stack.isEmpty()) {
                // An END without a BEGIN in the trace (a section begun before the first step) is left out.
                out.add(new Extent(m.section(), rows.get(i).thread(), stack.pop(), i, false));
            }
        }
        int last = rows.size() - 1;
        for (var e : openSections.entrySet()) {
            String section = e.getKey().substring(e.getKey().indexOf('/') + 1);
            for (int from : e.getValue()) {
                out.add(new Extent(section, rows.get(from).thread(), from, last, true));
            }
        }
        for (int from : openGracePeriods) {
            out.add(new Extent(StepMeaning.GRACE_PERIOD, rows.get(from).thread(), from, last, true));
        }
        out.sort(Comparator.comparingInt(Extent::from).thenComparingInt(Extent::thread)
                .thenComparing(Extent::section));
        return new TraceSections(out);
    }

    /** The distinct section names, sorted, for a legend. */
    public List<String> names() {
        return extents.stream().map(Extent::section).distinct().sorted().toList();
    }

    /** A section name as a CSS class: letters and digits kept, lower case, the rest one '-'. */
    public static String cssClass(String section) {
        return "sec-" + section.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
