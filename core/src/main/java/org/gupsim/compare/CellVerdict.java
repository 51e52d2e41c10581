package org.gupsim.compare;

import org.gupsim.explore.Verdict;

/** The verdict of one cell: the explorer's {@link Verdict}, or N/A where the scenario refuses the variant. */
public enum CellVerdict {
    /** No violation in the schedules explored (the whole space when the cell says exhausted). */
    SAFE,
    /** Some schedule violated an invariant (livelock included, as in {@link Verdict#VIOLATION}). */
    VIOLATION,
    /** Some schedule reached a state where no thread could make progress. */
    DEADLOCK,
    /** The scenario's {@code checkArch} refuses this variant, so the cell was not run. */
    NOT_APPLICABLE;

    /** The cell verdict of an exploration verdict. */
    public static CellVerdict of(Verdict verdict) {
        return switch (verdict) {
            case SAFE -> SAFE;
            case VIOLATION -> VIOLATION;
            case DEADLOCK -> DEADLOCK;
        };
    }

    /** How a table shows it: {@code SAFE}, {@code VIOLATION}, {@code DEADLOCK}, {@code N/A}. */
    public String label() {
        return this == NOT_APPLICABLE ? "N/A" : name();
    }
}
