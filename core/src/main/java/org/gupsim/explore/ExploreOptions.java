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
 * @param threads              worker threads of a depth-first search, 1 to {@link #MAX_THREADS};
 *                             they change how fast, never what, it finds
 */
public record ExploreOptions(int maxSteps, long maxSchedules, int preemptionBound, boolean stopOnFirstViolation,
                             int threads) {

    /** 10,000 steps, 1,000,000 schedules, no preemption bound, stop on the first violation, one thread. */
    public static final ExploreOptions DEFAULTS = new ExploreOptions(10_000, 1_000_000, -1, true, 1);

    /** The most worker threads one exploration takes. */
    public static final int MAX_THREADS = 1024;

    public ExploreOptions {
        Validate.isTrue(maxSteps > 0, "maxSteps must be positive: %d", maxSteps);
        Validate.isTrue(maxSchedules > 0, "maxSchedules must be positive: %d", maxSchedules);
        Validate.isTrue(preemptionBound >= -1, "preemptionBound must be -1 or more: %d", preemptionBound);
        Validate.isTrue(threads >= 1 && threads <= MAX_THREADS, "threads must be 1 to %d: %d", MAX_THREADS, threads);
    }

    /** Options on one thread. */
    public ExploreOptions(int maxSteps, long maxSchedules, int preemptionBound, boolean stopOnFirstViolation) {
        this(maxSteps, maxSchedules, preemptionBound, stopOnFirstViolation, 1);
    }

    public ExploreOptions withMaxSteps(int steps) {
        return new ExploreOptions(steps, maxSchedules, preemptionBound, stopOnFirstViolation, threads);
    }

    public ExploreOptions withMaxSchedules(long schedules) {
        return new ExploreOptions(maxSteps, schedules, preemptionBound, stopOnFirstViolation, threads);
    }

    public ExploreOptions withPreemptionBound(int bound) {
        return new ExploreOptions(maxSteps, maxSchedules, bound, stopOnFirstViolation, threads);
    }

    public ExploreOptions withStopOnFirstViolation(boolean stop) {
        return new ExploreOptions(maxSteps, maxSchedules, preemptionBound, stop, threads);
    }

    /**
     * The worker threads of a depth-first search (each runs its own copy of the target). The
     * result does not depend on them; random walk, PCT and replay run on one thread.
     */
    public ExploreOptions withThreads(int n) {
        return new ExploreOptions(maxSteps, maxSchedules, preemptionBound, stopOnFirstViolation, n);
    }
}
