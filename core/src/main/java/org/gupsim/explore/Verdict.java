package org.gupsim.explore;

/** The verdict of an exploration. */
public enum Verdict {
    /** No violation in the schedules explored (the whole space only if the result says exhausted). */
    SAFE,
    /**
     * Some schedule violated an invariant. An execution cut off by the step budget is not one:
     * it has no verdict (see {@link ExplorationResult#outOfBudget()}).
     */
    VIOLATION,
    /** Some schedule reached a state where no thread could make progress. */
    DEADLOCK
}
