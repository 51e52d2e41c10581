package org.gupsim.explore;

import org.apache.commons.lang3.Validate;

/**
 * Limits of an exploration.
 *
 * @param maxSteps             the least step budget of one execution; the explorer raises it to
 *                             what the target's work needs (see {@code StepBudget}). An execution
 *                             that uses its budget up with threads unfinished is cut off and
 *                             counted ({@link ExplorationResult#outOfBudget()}), not judged
 * @param maxSchedules         stop after this many executions (the result is then not exhausted)
 * @param preemptionBound      the most preemptions (switching away from a thread that could
 *                             still run) a depth-first schedule may have, or -1 for no bound;
 *                             a bound turns partial-order reduction off (the two do not compose
 *                             exactly), so the bounded search is exact; ignored by random walk,
 *                             PCT and replay
 * @param stopOnFirstViolation stop at the first violating execution; when false the search goes
 *                             on and reports the shortest violating schedule it found
 */
public record ExploreOptions(int maxSteps, long maxSchedules, int preemptionBound, boolean stopOnFirstViolation) {

    /** 10,000 steps, 1,000,000 schedules, no preemption bound, stop on the first violation. */
    public static final ExploreOptions DEFAULTS = new ExploreOptions(10_000, 1_000_000, -1, true);

    public ExploreOptions {
        Validate.isTrue(maxSteps > 0, "maxSteps must be positive: %d", maxSteps);
        Validate.isTrue(maxSchedules > 0, "maxSchedules must be positive: %d", maxSchedules);
        Validate.isTrue(preemptionBound >= -1, "preemptionBound must be -1 or more: %d", preemptionBound);
    }

    public ExploreOptions withMaxSteps(int steps) {
        return new ExploreOptions(steps, maxSchedules, preemptionBound, stopOnFirstViolation);
    }

    public ExploreOptions withMaxSchedules(long schedules) {
        return new ExploreOptions(maxSteps, schedules, preemptionBound, stopOnFirstViolation);
    }

    public ExploreOptions withPreemptionBound(int bound) {
        return new ExploreOptions(maxSteps, maxSchedules, bound, stopOnFirstViolation);
    }

    public ExploreOptions withStopOnFirstViolation(boolean stop) {
        return new ExploreOptions(maxSteps, maxSchedules, preemptionBound, stop);
    }
}
