package org.gupsim.sched;

import org.apache.commons.lang3.Validate;

/**
 * What one step means to a person reading a trace, where the plain {@code ACCESS key[index]} of
 * the scheduling point would mislead: {@code local_irq_save} announces itself as an ACQUIRE of
 * the RCU state (that is what the explorer's reduction needs to know), but what a reviewer must
 * see is that the CPU turned IRQs off, which holds off RCU-sched grace periods. The object a point
 * names supplies it ({@link SchedKeyed#meaning}); traces show {@link #text} in place of the access,
 * and diagrams shade each {@link #section} from the step that begins it to the one that ends it.
 *
 * @param text    what the step does, e.g. {@code IRQs off: holds off RCU-sched grace periods}
 * @param section the extent this step begins or ends, e.g. {@code IRQs off}, {@code RCU read side},
 *                {@link #GRACE_PERIOD}; null when it does neither
 * @param edge    whether the step begins or ends {@code section}
 */
public record StepMeaning(String text, String section, Edge edge) {
    /** The extent from a {@code call_rcu()} to the end of the grace period it waits for. */
    public static final String GRACE_PERIOD = "grace period";

    /** Where a step stands in its section. */
    public enum Edge {
        /** The step is not a section's edge. */
        NONE,
        /** The section begins with this step. */
        BEGIN,
        /** The section ends with this step. */
        END
    }

    public StepMeaning {
        Validate.isTrue(text != null && !text.isEmpty(), "text must not be empty");
        Validate.isTrue(edge != null, "edge must not be null");
        Validate.isTrue((section == null) == (edge == Edge.NONE), "a section needs an edge and an edge a section");
    }

    /** A step that only needs saying what it does. */
    public static StepMeaning of(String text) {
        return new StepMeaning(text, null, Edge.NONE);
    }

    /** A step that begins {@code section}. */
    public static StepMeaning begins(String section, String text) {
        return new StepMeaning(text, section, Edge.BEGIN);
    }

    /** A step that ends {@code section}. */
    public static StepMeaning ends(String section, String text) {
        return new StepMeaning(text, section, Edge.END);
    }
}
