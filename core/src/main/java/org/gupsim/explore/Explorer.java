package org.gupsim.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The model checker: runs an {@link ExploreTarget} under the schedules a {@link Strategy} picks
 * and reports what it saw.
 *
 * <p>Each execution builds a fresh world ({@link ExploreTarget#setUp}) and runs every thread's
 * program on its own virtual thread; exactly one holds the baton, and at each
 * {@link org.gupsim.sched.Sched#point} or {@link org.gupsim.sched.Sched#waitUntil} the strategy picks who runs the next step. An
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

    /**
     * Explores {@code target} with {@code strategy} within {@code options}, on one thread: a
     * single target cannot run on several (use the form taking a supplier for that).
     *
     * @throws IllegalArgumentException if {@code options} ask for more than one thread
     */
    public static ExplorationResult explore(ExploreTarget target, Strategy strategy, ExploreOptions options) {
        Validate.isTrue(options != null, "options must not be null");
        Validate.isTrue(options.threads() == 1,
                "options.threads() is %d, but one target runs on one thread: pass a supplier of targets",
                options.threads());
        checkTarget(target);
        boolean[] given = {false};
        return explore(() -> {
            Validate.validState(!given[0], "one target, one thread");
            given[0] = true;
            return target;
        }, strategy, options, new ExploreControl());
    }

    /**
     * Explores the target {@code targets} makes, one per worker thread ({@link
     * ExploreOptions#threads()}; each must be an independent copy of the same target), with
     * {@code strategy} within {@code options}, watched by {@code control}.
     *
     * <p>Depth-first search runs on every worker as a tree of tasks ({@link TaskTree}); the result
     * is the same for any number of threads. Random walk, PCT and replay draw each schedule from
     * the previous ones and run on one thread whatever the options say. A stop requested through
     * {@code control} ends the search after the executions in progress; the result then covers
     * what ran and says {@link ExplorationResult#interrupted()}.
     */
    public static ExplorationResult explore(Supplier<? extends ExploreTarget> targets, Strategy strategy,
            ExploreOptions options, ExploreControl control) {
        Validate.isTrue(targets != null, "targets must not be null");
        Validate.isTrue(strategy != null, "strategy must not be null");
        Validate.isTrue(options != null, "options must not be null");
        Validate.isTrue(control != null, "control must not be null");
        return explore(targets, strategy, options, control, TaskTree.Params.DEFAULT);
    }

    /** As above, with the search split as {@code split} says (tests split small searches). */
    static ExplorationResult explore(Supplier<? extends ExploreTarget> targets, Strategy strategy,
            ExploreOptions options, ExploreControl control, TaskTree.Params split) {
        return onVirtualThread(() -> exploreHere(targets, strategy, options, control, split));
    }

    private static ExplorationResult exploreHere(Supplier<? extends ExploreTarget> targets, Strategy strategy,
            ExploreOptions options, ExploreControl control, TaskTree.Params split) {
        List<Runner> runners = new ArrayList<>();
        try {
            int budget = runners(targets, strategy instanceof Strategy.DepthFirst ? options : options.withThreads(1),
                    runners);
            Runner main = runners.get(0);
            TaskTree.Result r;
            if (strategy instanceof Strategy.DepthFirst d) {
                TaskTree tree = new TaskTree(split, d.reduction(), options.preemptionBound(),
                        options, control);
                tree.explore(runners);
                r = tree.result();
            } else {
                r = sequential(main, strategy, options, control);
            }
            return result(main, strategy, options, r, budget);
        } finally {
            for (Runner runner : runners) {
                runner.close();
            }
        }
    }

    /**
     * Explores shard {@code shard} of {@code shards} of a depth-first search, on
     * {@link ExploreOptions#threads()} workers: the root task and its share of the root's
     * children (see {@link SearchShard}). {@link #merge} puts the shards back together.
     */
    public static SearchShard exploreShard(Supplier<? extends ExploreTarget> targets, Strategy.DepthFirst strategy,
            ExploreOptions options, ExploreControl control, int shard, int shards) {
        Validate.isTrue(targets != null, "targets must not be null");
        Validate.isTrue(strategy != null, "strategy must not be null");
        Validate.isTrue(options != null, "options must not be null");
        Validate.isTrue(control != null, "control must not be null");
        Validate.isTrue(shards >= 1 && shard >= 0 && shard < shards, "shard must be 0 to shards - 1: %d/%d", shard,
                shards);
        return exploreShard(targets, strategy, options, control, shard, shards, TaskTree.Params.DEFAULT);
    }

    static SearchShard exploreShard(Supplier<? extends ExploreTarget> targets, Strategy.DepthFirst strategy,
            ExploreOptions options, ExploreControl control, int shard, int shards, TaskTree.Params split) {
        return onVirtualThread(() -> {
            List<Runner> runners = new ArrayList<>();
            try {
                int budget = runners(targets, options, runners);
                TaskTree tree = new TaskTree(split, strategy.reduction(), options.preemptionBound(), options, control,
                        shard, shards);
                tree.explore(runners);
                return tree.shard(budget);
            } finally {
                for (Runner runner : runners) {
                    runner.close();
                }
            }
        });
    }

    /**
     * The result of the whole search from all its shards' parts, exactly what one process
     * exploring {@code target} with {@code strategy} and {@code options} finds; the
     * counterexample's trace comes from replaying it on {@code target}.
     *
     * @throws IllegalArgumentException when the parts are not every shard of one search, named
     */
    public static ExplorationResult merge(ExploreTarget target, Strategy.DepthFirst strategy, ExploreOptions options,
            List<SearchShard> parts) {
        checkTarget(target);
        Validate.isTrue(strategy != null, "strategy must not be null");
        Validate.isTrue(options != null, "options must not be null");
        Validate.isTrue(parts != null, "parts must not be null");
        TaskTree.Result r = TaskTree.merge(parts, options);
        int budget = parts.get(0).stepBudget();
        return onVirtualThread(() -> {
            try (Runner runner = new Runner(target, budget)) {
                return result(runner, strategy, options, r, budget);
            }
        });
    }

    /** Makes one runner per worker (at least one), measures the step budget on the first and sets it on all. */
    private static int runners(Supplier<? extends ExploreTarget> targets, ExploreOptions options, List<Runner> out) {
        ExploreTarget first = targets.get();
        checkTarget(first);
        KeyIds keyIds = new KeyIds();
        Runner main = new Runner(first, options.maxSteps(), keyIds);
        out.add(main);
        int budget = StepBudget.measure(main, options.maxSteps());
        main.budget(budget);
        for (int w = 1; w < options.threads(); w++) {
            ExploreTarget t = targets.get();
            checkTarget(t);
            Validate.isTrue(t.threads() == first.threads(), "targets must all have %d threads", first.threads());
            out.add(new Runner(t, budget, keyIds));
        }
        return budget;
    }

    /** Random walk, PCT and replay: one schedule after the other on one runner. */
    private static TaskTree.Result sequential(Runner runner, Strategy strategy, ExploreOptions options,
            ExploreControl control) {
        int n = runner.threads();
        Search search = switch (strategy) {
            case Strategy.DepthFirst s -> throw new IllegalArgumentException("depth-first runs as a task tree");
            case Strategy.RandomWalk s -> new RandomSearch(s.seed(), s.schedules());
            case Strategy.Pct s -> new PctSearch(n, s.seed(), s.depth(), s.schedules());
            case Strategy.Replay s -> new ReplaySearch(s.schedule());
        };
        TaskTree.Task task = TaskTree.Task.root();
        while (search.hasNext() && task.log.size() < options.maxSchedules() && !control.stopRequested()) {
            runner.execute(search.next(), search.needsKeys(), false);
            runner.rethrow();
            search.finished(runner);
            task.log.add(runner);
            control.executed();
            if (runner.violation() != null && options.stopOnFirstViolation()) {
                break;
            }
        }
        task.searched = search.exhausted();
        task.state = TaskTree.State.DONE;
        return TaskTree.assemble(List.of(task), options, control.stopRequested());
    }

    private static ExplorationResult result(Runner runner, Strategy strategy, ExploreOptions options,
            TaskTree.Result r, int budget) {
        Counterexample ce = null;
        Verdict verdict = Verdict.SAFE;
        ExecutionLog.Found best = r.best();
        if (best != null) {
            Trace trace = trace(runner, best.schedule());
            if (!best.violation().equals(trace.violation())) {
                throw new IllegalStateException("the target is not deterministic: schedule " + best.schedule()
                        + " gave " + best.violation() + " and then " + trace.violation());
            }
            ce = new Counterexample(best.violation(), best.schedule(), trace);
            verdict = best.violation().kind() == ViolationKind.DEADLOCK ? Verdict.DEADLOCK : Verdict.VIOLATION;
        }
        String name = strategy.toString();
        if (strategy instanceof Strategy.DepthFirst && options.preemptionBound() >= 0) {
            name += " (preemption bound " + options.preemptionBound() + ", no reduction)";
        }
        return new ExplorationResult(name, verdict, r.exhausted() && r.outOfBudget() == 0, r.schedules(),
                r.pruned(), r.outcomes(), r.violations(), ce, budget, r.outOfBudget(), r.interrupted());
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
