package org.gupsim.explore;

import java.util.TreeMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The model checker: runs an {@link ExploreTarget} under the schedules a {@link Strategy} picks
 * and reports what it saw.
 *
 * <p>Each execution builds a fresh world ({@link ExploreTarget#setUp}) and runs every thread's
 * program on its own virtual thread; exactly one holds the baton, and at each
 * {@link Sched#point} or {@link Sched#waitUntil} the strategy picks who runs the next step. An
 * execution ends when
 * <ul>
 * <li>every thread has finished: the outcome is counted and the final checks run;</li>
 * <li>a violation is reported (it stops that execution at once);</li>
 * <li>no thread can run while some have not finished: a {@link ViolationKind#DEADLOCK} naming who
 *     waits for what (verdict {@link Verdict#DEADLOCK});</li>
 * <li>the step budget is used up: the execution is cut off, counted in
 *     {@link ExplorationResult#outOfBudget()}, and the result no longer claims to be exhausted.
 *     That is no verdict: a long execution and a livelock look the same from here. The budget
 *     grows with the work the target asks for: see {@link StepBudget};</li>
 * <li>the partial-order reduction finds it redundant (pruned).</li>
 * </ul>
 * An exception thrown by a program (not a reported violation) is a bug in the model or the
 * target: it is rethrown as an {@link IllegalStateException} naming the thread and schedule.
 *
 * <p>Results are a pure function of (target, strategy, options): no wall clock, identity hash or
 * hash-map order reaches them, and the counterexample's trace is produced by replaying its
 * schedule string, so {@link #replay} gives the same trace.
 */
public final class Explorer {
    private Explorer() {
    }

    /** Explores with {@link ExploreOptions#DEFAULTS}. */
    public static ExplorationResult explore(ExploreTarget target, Strategy strategy) {
        return explore(target, strategy, ExploreOptions.DEFAULTS);
    }

    /** Explores {@code target} with {@code strategy} within {@code options}. */
    public static ExplorationResult explore(ExploreTarget target, Strategy strategy, ExploreOptions options) {
        return onVirtualThread(() -> exploreHere(target, strategy, options));
    }

    private static ExplorationResult exploreHere(ExploreTarget target, Strategy strategy, ExploreOptions options) {
        checkTarget(target);
        Validate.isTrue(strategy != null, "strategy must not be null");
        Validate.isTrue(options != null, "options must not be null");
        int n = target.threads();
        Search search = switch (strategy) {
            case Strategy.DepthFirst s -> new DfsSearch(n, s.reduction(), options.preemptionBound());
            case Strategy.RandomWalk s -> new RandomSearch(s.seed(), s.schedules());
            case Strategy.Pct s -> new PctSearch(n, s.seed(), s.depth(), s.schedules());
            case Strategy.Replay s -> new ReplaySearch(s.schedule());
        };
        TreeMap<String, Long> outcomes = new TreeMap<>();
        TreeMap<String, Long> violations = new TreeMap<>();
        long schedules = 0;
        long pruned = 0;
        long outOfBudget = 0;
        String best = null;
        int bestSteps = 0;
        int bestSwitches = 0;
        Violation bestViolation = null;
        try (Runner runner = new Runner(target, options.maxSteps())) {
            runner.budget(StepBudget.measure(runner, options.maxSteps()));
            while (search.hasNext() && schedules < options.maxSchedules()) {
                runner.execute(search.next(), search.needsKeys(), false);
                schedules++;
                runner.rethrow();
                search.finished(runner);
                if (runner.end() == Runner.End.PRUNED) {
                    pruned++;
                } else if (runner.end() == Runner.End.OUT_OF_BUDGET) {
                    outOfBudget++;
                }
                if (runner.outcome() != null) {
                    outcomes.merge(runner.outcome(), 1L, Long::sum);
                }
                Violation v = runner.violation();
                if (v == null) {
                    continue;
                }
                violations.merge(v.kind().name(), 1L, Long::sum);
                String s = runner.schedule();
                int steps = runner.steps();
                int switches = runner.switches();
                if (best == null || steps < bestSteps || steps == bestSteps
                        && (switches < bestSwitches || switches == bestSwitches && s.compareTo(best) < 0)) {
                    best = s;
                    bestSteps = steps;
                    bestSwitches = switches;
                    bestViolation = v;
                }
                if (options.stopOnFirstViolation()) {
                    break;
                }
            }
            Counterexample ce = null;
            Verdict verdict = Verdict.SAFE;
            if (best != null) {
                Trace trace = trace(runner, best);
                if (!bestViolation.equals(trace.violation())) {
                    throw new IllegalStateException("the target is not deterministic: schedule " + best + " gave "
                            + bestViolation + " and then " + trace.violation());
                }
                ce = new Counterexample(bestViolation, best, trace);
                verdict = bestViolation.kind() == ViolationKind.DEADLOCK ? Verdict.DEADLOCK : Verdict.VIOLATION;
            }
            String name = strategy.toString();
            if (strategy instanceof Strategy.DepthFirst && options.preemptionBound() >= 0) {
                name += " (preemption bound " + options.preemptionBound() + ", no reduction)";
            }
            return new ExplorationResult(name, verdict, search.exhausted() && outOfBudget == 0, schedules, pruned,
                    outcomes, violations, ce, runner.budget(), outOfBudget);
        }
    }

    /** Replays a schedule string with {@link ExploreOptions#DEFAULTS}; see {@link Schedule}. */
    public static Trace replay(ExploreTarget target, String schedule) {
        return replay(target, schedule, ExploreOptions.DEFAULTS);
    }

    /**
     * Runs one execution following {@code schedule} (and non-preemptively past its end) and
     * returns its trace. Use the exploration's options so the step budget is the same (it is
     * measured the same way, see {@link StepBudget}).
     *
     * @throws IllegalArgumentException if the schedule does not fit the target: a step names a
     *                                  thread that cannot run then, or the execution ends earlier
     */
    public static Trace replay(ExploreTarget target, String schedule, ExploreOptions options) {
        checkTarget(target);
        Validate.isTrue(options != null, "options must not be null");
        Schedule.parse(schedule);
        return onVirtualThread(() -> {
            try (Runner runner = new Runner(target, options.maxSteps())) {
                runner.budget(StepBudget.measure(runner, options.maxSteps()));
                return trace(runner, schedule);
            }
        });
    }

    /**
     * Runs the exploration loop on a virtual thread too, so that every baton hand-off, including
     * the explorer's own at the start and end of each execution, is between virtual threads
     * (cheap) rather than to a platform thread (a kernel futex).
     */
    private static <T> T onVirtualThread(java.util.function.Supplier<T> body) {
        if (Thread.currentThread().isVirtual()) {
            return body.get();
        }
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofVirtual().name("gupsim-explorer").start(() -> {
            try {
                result[0] = body.get();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while exploring", e);
        }
        if (thrown[0] instanceof RuntimeException r) {
            throw r;
        }
        if (thrown[0] instanceof Error e) {
            throw e;
        }
        if (thrown[0] != null) {
            throw new IllegalStateException(thrown[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static Trace trace(Runner runner, String schedule) {
        ReplaySearch replay = new ReplaySearch(schedule);
        runner.execute(replay.next(), true, true);
        runner.rethrow();
        Validate.isTrue(runner.steps() >= replay.length(), "schedule has %d steps but the execution ended after %d",
                replay.length(), runner.steps());
        return new Trace(runner.names(), runner.rows(), runner.schedule(), runner.violation(), runner.violationStep(),
                runner.outcome(), runner.cutOff());
    }

    private static void checkTarget(ExploreTarget target) {
        Validate.isTrue(target != null, "target must not be null");
        int n = target.threads();
        Validate.isTrue(n >= 1 && n <= 64, "target.threads() must be 1 to 64: %d", n);
    }
}
