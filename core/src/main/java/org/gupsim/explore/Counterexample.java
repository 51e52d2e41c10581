package org.gupsim.explore;

import org.gupsim.sched.Violation;

/**
 * A violating execution an exploration found.
 *
 * @param violation the violation
 * @param schedule  the schedule string; {@link Explorer#replay} with it reproduces {@link #trace}
 * @param trace     the execution, step by step
 */
public record Counterexample(Violation violation, String schedule, Trace trace) {
}
