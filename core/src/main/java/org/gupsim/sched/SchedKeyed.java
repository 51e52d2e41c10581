package org.gupsim.sched;

/**
 * An object that names itself for the explorer.
 *
 * <p>Each execution builds a fresh world, so Java identity means nothing across executions. The
 * explorer identifies the object of a scheduling point by a stable key: {@link #schedKey()} when
 * the object implements this interface, its {@code toString()} otherwise (the model's
 * {@code toString()}s are deterministic: {@code "pmd table @0x5000"}, {@code "folio(pfn=12)"},
 * {@code "CPU1"}, lock names). Two points touch the same object exactly when their keys are
 * equal, so keys must be unique among the objects that are alive together, must not change
 * during an execution, and must be the same in every execution that reaches the same state.
 */
public interface SchedKeyed {

    /** The stable key, e.g. {@code "pte table @0x7000"}. */
    String schedKey();

    /**
     * What a step of {@code function} doing {@code access} to entry {@code index} of this object
     * means to a person reading the trace, where the plain access would mislead (see
     * {@link StepMeaning}); null, the default, for the plain form. Called when a trace is recorded,
     * never on the direct-mode path; it must not change the object.
     *
     * @param index the entry the point named, or -1 for the whole object
     */
    default StepMeaning meaning(int index, Access access, String function) {
        return null;
    }
}
