package org.gupsim.compare;

import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.Trace;
import org.gupsim.sched.Violation;

/**
 * A violation's evidence, numbered for cells to refer to ({@code trace #3}). Numbers start at 1
 * and follow the order of the report's cells.
 *
 * @param number         the number cells refer to
 * @param cell           the index in {@link ComparisonReport#cells()} of the cell it belongs to
 * @param counterexample the violation, the schedule string that replays it and the trace
 * @param replay         the command line that replays it, e.g.
 *                       {@code ./gupsim replay --scenario ... --arch ... --schedule ...}
 */
public record NumberedTrace(int number, int cell, Counterexample counterexample, String replay) {

    public NumberedTrace {
        Validate.isTrue(number > 0, "number must be positive: %d", number);
        Validate.isTrue(cell >= 0, "cell must not be negative: %d", cell);
        Validate.isTrue(counterexample != null, "counterexample must not be null");
        Validate.isTrue(replay != null, "replay must not be null");
    }

    public Violation violation() {
        return counterexample.violation();
    }

    public String schedule() {
        return counterexample.schedule();
    }

    public Trace trace() {
        return counterexample.trace();
    }
}
