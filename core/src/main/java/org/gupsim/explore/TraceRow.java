package org.gupsim.explore;

import org.gupsim.sched.Access;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.StepMeaning;

/**
 * One step of a trace: a thread performed the access it announced at a scheduling point, and
 * everything up to its next point.
 *
 * @param step     the step number, from 1
 * @param thread   the thread index
 * @param function the kernel function, e.g. {@code "gup_fast_pte_range"}; {@code "wait"} for a
 *                 wait whose object is unknown
 * @param access   what the step did to the object; {@code null} for a wait whose object is unknown
 * @param object   the object's stable key (see {@link org.gupsim.sched.SchedKeyed}) with {@code [index]} when the
 *                 point named an entry; for a wait whose object is unknown, what it waited for
 * @param note     {@code "waited: ..."} when the thread had been blocked before this step, else null
 * @param meaning  what the step means where the access alone would mislead ({@link StepMeaning},
 *                 from the object's {@link SchedKeyed#meaning}), else null
 */
public record TraceRow(int step, int thread, String function, Access access, String object, String note,
                       StepMeaning meaning) {

    /** A row whose access says what it does. */
    public TraceRow(int step, int thread, String function, Access access, String object, String note) {
        this(step, thread, function, access, object, note, null);
    }

    /**
     * The cell text, e.g. {@code "spin_lock: ACQUIRE ptl"}, {@code "flush: IPI -> CPU0"}, or where
     * the step has a {@link #meaning}, that: {@code "local_irq_save: IRQs off, holding off RCU-sched
     * grace periods"} rather than {@code "local_irq_save: ACQUIRE rcu[0]"}.
     */
    public String text() {
        StringBuilder sb = new StringBuilder(function).append(": ");
        if (meaning != null) {
            sb.append(meaning.text());
        } else if (access == null) {
            sb.append("until ").append(object);
        } else if (access == Access.IPI) {
            sb.append("IPI -> ").append(object);
        } else {
            sb.append(access).append(' ').append(object);
        }
        if (note != null) {
            sb.append(" (").append(note).append(')');
        }
        return sb.toString();
    }
}
