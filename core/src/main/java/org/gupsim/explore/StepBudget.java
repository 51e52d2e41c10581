package org.gupsim.explore;

/**
 * How many steps one execution may take before it is cut off: enough for the work the target's
 * programs ask for, measured rather than guessed.
 *
 * <p>Before an exploration (and before a replay) the target runs once without preemption: each
 * thread runs until it finishes or blocks, then the lowest-numbered runnable thread takes over
 * (the schedule {@code ""}, the first execution of depth-first search). That execution's length
 * {@code L} is the work the scenario asks for, whatever its parameters ({@code devices=256}
 * enables 256 devices one after the other). Every execution then gets
 * {@code max(floor, STRETCH × L)} steps: interleaving adds the steps of retried loops and of the
 * other threads' waits, which in the catalogue stays well under a factor of {@value #STRETCH}.
 *
 * <p>The measuring run itself may take up to {@value #CEILING} times the floor. If it uses them
 * all, the programs do not end without preemption (a thread spinning on a flag without
 * {@code Sched.waitUntil}, or a scenario of more than that many steps): the budget stays at the
 * floor, so such executions are cut off cheaply, and the result says how many were.
 *
 * <p>A pure function of the target and the floor, so every worker and shard of one exploration
 * computes the same budget.
 */
final class StepBudget {
    /** How many times the uninterrupted execution's length an interleaved one may take. */
    static final int STRETCH = 4;
    /** How many times the floor the measuring run may take. */
    static final int CEILING = 100;

    private StepBudget() {
    }

    /**
     * Runs the target once without preemption on {@code runner} and returns the budget.
     *
     * @param floor the least budget, {@link ExploreOptions#maxSteps()}
     * @throws IllegalStateException if a program throws (a bug in the model or the target)
     */
    static int measure(Runner runner, int floor) {
        int ceiling = (int) Math.min(Integer.MAX_VALUE - 1L, (long) floor * CEILING);
        runner.budget(ceiling);
        runner.execute(new ReplaySearch("").next(), false, false);
        runner.rethrow();
        if (runner.end() == Runner.End.OUT_OF_BUDGET) {
            return floor;
        }
        return (int) Math.max(floor, Math.min(ceiling, (long) STRETCH * runner.steps()));
    }
}
