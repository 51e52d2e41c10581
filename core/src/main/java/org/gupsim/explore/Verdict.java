package org.gupsim.explore;

/** The verdict of an exploration. */
public enum Verdict {
    /** No violation in the schedules explored (the whole space only if the result says exhausted). */
    SAFE,
    /**
     * Some schedule violated an invariant; includes {@link ViolationKind#LIVELOCK}, an execution
     * that used up its step budget.
     */
    VIOLATION,
    /** Some schedule reached a state where no thread could make progress. */
    DEADLOCK
}
