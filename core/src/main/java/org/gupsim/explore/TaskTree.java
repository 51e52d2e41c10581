package org.gupsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One depth-first search as a tree of tasks, explored on any number of worker threads with the
 * same result.
 *
 * <p>A task is the search of the subtree below a frozen prefix ({@link DfsSearch}). The root task
 * searches the whole tree. After every {@link Params#splitAfter} executions a task that is not
 * done hands the upper part of its subtree to new tasks ({@link DfsSearch#split}); they are its
 * children, and any worker may take them. A task that finishes within {@code splitAfter}
 * executions never splits, so a small search is exactly the sequential one.
 *
 * <p><b>Canonical order.</b> The executions of the tree are ordered as one sequential search would
 * have run them: a task's own executions, then its children; children of later splits (deeper
 * nodes) before those of earlier ones, and within a split in the order {@code split} returns
 * them. A task's key ({@link #KEY_ORDER}) orders tasks that way. The schedule cap and the first
 * violation are applied in this order when the result is assembled ({@link Result}), so the
 * result does not depend on which worker ran what, or when: the same schedule count, outcomes,
 * violations and counterexample for any number of threads or shards.
 *
 * <p>Workers take the earliest pending task first. Tasks that cannot matter any more are
 * cancelled: those after a violation (when stopping on the first) and those after the point where
 * the executions before them already reach the cap.
 */
final class TaskTree {

    /**
     * How a search is split. Part of the definition of the search (it fixes which nodes branch
     * fully), so never derived from the number of threads or shards.
     *
     * @param splitAfter executions a task runs between splits
     * @param levels     how many nodes of its path a split freezes at most. The explorer freezes
     *                   the whole path: on the munmap cell of 491,879 executions (pages=3,
     *                   table-batch=fail, x86_64:paravirt) that adds 0.14% executions (children
     *                   frozen nodes try that the races would not have asked for, each ending
     *                   pruned) and leaves the root with 10,001 executions of its own
     */
    record Params(int splitAfter, int levels) {
        /** What the explorer uses. */
        static final Params DEFAULT = new Params(10_000, Integer.MAX_VALUE);
    }

    enum State { PENDING, RUNNING, DONE, CANCELLED }

    /** A part of the search. Fields other than the final ones are guarded by the tree's lock. */
    static final class Task {
        final Task parent;
        /** Pairs (MAX - split number, index in split) from the root; see {@link #KEY_ORDER}. */
        final long[] key;
        /** The frozen prefix, or null for the root. */
        final DfsSearch.Node[] prefix;
        final List<Task> children = new ArrayList<>();
        int splits;
        State state = State.PENDING;
        /** Set by the tree when the task can stop: its executions can no longer matter. */
        volatile boolean stop;
        // written by the worker running the task, read once it is DONE
        ExecutionLog log = new ExecutionLog();
        boolean searched;
        RuntimeException failure;

        Task(Task parent, long[] key, DfsSearch.Node[] prefix) {
            this.parent = parent;
            this.key = key;
            this.prefix = prefix;
        }

        /** The task of a whole search. */
        static Task root() {
            return new Task(null, new long[0], null);
        }

        /** The number of leading nodes fixed for this task. */
        int depth() {
            return prefix == null ? 0 : prefix.length;
        }
    }

    /** Orders keys lexicographically, a prefix (an ancestor) first. */
    static final Comparator<long[]> KEY_ORDER = Arrays::compare;

    private final Params params;
    private final boolean reduction;
    private final int bound;
    private final ExploreOptions options;
    private final ExploreControl control;
    private final Task root = Task.root();
    private final PriorityQueue<Task> pending = new PriorityQueue<>((a, b) -> KEY_ORDER.compare(a.key, b.key));
    private int running;
    /**
     * Guards the tree's structure and the pending queue. A lock rather than a monitor: workers are
     * virtual threads, and on Java 21 one waiting in {@code Object.wait} would pin its carrier.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Tasks after this key cannot matter (a violation, when stopping on the first); null for none. */
    private long[] stopAfter;

    TaskTree(Params params, boolean reduction, int preemptionBound, ExploreOptions options, ExploreControl control) {
        this.params = params;
        this.reduction = reduction;
        this.bound = preemptionBound;
        this.options = options;
        this.control = control;
        pending.add(root);
    }

    Task root() {
        return root;
    }

    /**
     * Explores the tree with one worker per runner; with one runner, on the calling thread.
     *
     * @throws RuntimeException what a program threw (the earliest task's, in canonical order)
     */
    void explore(List<Runner> runners) {
        if (runners.size() == 1) {
            work(runners.get(0));
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < runners.size(); w++) {
                Runner r = runners.get(w);
                workers.add(Thread.ofVirtual().name("gupsim-explore-" + w).start(() -> work(r)));
            }
            try {
                for (Thread t : workers) {
                    t.join();
                }
            } catch (InterruptedException e) {
                control.requestStop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while exploring", e);
            }
        }
        RuntimeException failure = firstFailure(root);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException firstFailure(Task t) {
        if (t.failure != null) {
            return t.failure;
        }
        for (Task c : t.children) {
            RuntimeException f = firstFailure(c);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private void work(Runner runner) {
        Task t;
        while ((t = take()) != null) {
            try {
                run(t, runner);
            } catch (RuntimeException e) {
                t.failure = e;
                failed(t);
            }
            finish(t);
        }
    }

    private Task take() {
        lock.lock();
        try {
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

    private Task takeLocked() {
        while (true) {
            if (control.stopRequested()) {
                cancelPending();
            }
            Task t = pending.poll();
            if (t != null) {
                if (t.stop || stopAfter != null && KEY_ORDER.compare(t.key, stopAfter) > 0) {
                    t.state = State.CANCELLED;
                    continue;
                }
                t.state = State.RUNNING;
                running++;
                return t;
            }
            if (running == 0) {
                changed.signalAll();
                return null;
            }
            try {
                changed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelPending();
                return null;
            }
        }
    }

    private void cancelPending() {
        for (Task p : pending) {
            p.state = State.CANCELLED;
        }
        pending.clear();
    }

    private void finish(Task t) {
        lock.lock();
        try {
            t.state = State.DONE;
            running--;
            cancelBeyondCap();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs one task's own executions, splitting as it goes. */
    void run(Task t, Runner runner) {
        DfsSearch s = t.prefix == null ? new DfsSearch(runner.threads(), reduction, bound)
                : new DfsSearch(runner.threads(), reduction, bound, t.prefix);
        int since = 0;
        while (s.hasNext() && !t.stop && !control.stopRequested() && t.log.size() < options.maxSchedules()) {
            runner.execute(s.next(), true, false);
            runner.rethrow();
            s.finished(runner);
            t.log.add(runner);
            control.executed();
            if (runner.violation() != null && options.stopOnFirstViolation()) {
                violated(t);
                break;
            }
            if (++since >= params.splitAfter() && s.hasNext()) {
                since = 0;
                List<DfsSearch.Node[]> parts = s.split(params.levels());
                if (!parts.isEmpty()) {
                    addChildren(t, parts);
                }
            }
        }
        t.searched = s.exhausted();
    }

    private void addChildren(Task t, List<DfsSearch.Node[]> parts) {
        lock.lock();
        try {
            addChildrenLocked(t, parts);
        } finally {
            lock.unlock();
        }
    }

    private void addChildrenLocked(Task t, List<DfsSearch.Node[]> parts) {
        t.splits++;
        List<Task> made = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            long[] key = Arrays.copyOf(t.key, t.key.length + 1);
            key[t.key.length] = (long) (Integer.MAX_VALUE - t.splits) << 32 | i;
            Task c = new Task(t, key, parts.get(i));
            made.add(c);
        }
        t.children.addAll(0, made);
        pending.addAll(made);
        changed.signalAll();
    }

    /** A violation in {@code t}, stopping on the first: everything after it in canonical order is moot. */
    private void violated(Task t) {
        lock.lock();
        try {
            if (stopAfter == null || KEY_ORDER.compare(t.key, stopAfter) < 0) {
                stopAfter = t.key;
            }
            stopAfterKey(root);
        } finally {
            lock.unlock();
        }
    }

    private void failed(Task t) {
        violated(t);
    }

    private void stopAfterKey(Task t) {
        if (KEY_ORDER.compare(t.key, stopAfter) > 0) {
            t.stop = true;
        }
        for (Task c : t.children) {
            stopAfterKey(c);
        }
    }

    /**
     * Stops the tasks after the point, in canonical order, where the executions known so far
     * (a lower bound: running tasks only add) reach the schedule cap.
     */
    private void cancelBeyondCap() {
        long[] sum = {0};
        boolean[] reached = {false};
        walkCap(root, sum, reached);
    }

    /**
     * The search's result: its tasks' executions in canonical order, up to the schedule cap and,
     * when stopping on the first violation, up to it.
     *
     * @param schedules   executions counted
     * @param pruned      of them, abandoned by the reduction
     * @param outOfBudget of them, cut off by the step budget
     * @param outcomes    outcome → executions
     * @param violations  violation kind → executions
     * @param best        the reported violation (the first, or the best), or null
     * @param exhausted   every execution of the search was counted
     * @param interrupted a stop was requested before the search ended
     */
    record Result(long schedules, long pruned, long outOfBudget, java.util.SortedMap<String, Long> outcomes,
                  java.util.SortedMap<String, Long> violations, ExecutionLog.Found best, boolean exhausted,
                  boolean interrupted) {
    }

    /** Assembles the result once {@link #explore} returned. */
    Result result() {
        return assemble(List.of(root), options, control.stopRequested());
    }

    /**
     * Assembles tasks given in canonical order (each followed by its children, recursively):
     * what {@link #result} does for one process, and what merging shards does for many.
     */
    static Result assemble(List<Task> roots, ExploreOptions options, boolean interrupted) {
        Assembly a = new Assembly(options);
        for (Task t : roots) {
            a.walk(t);
        }
        return new Result(a.schedules, a.pruned, a.outOfBudget, a.outcomes, a.violations, a.best,
                !interrupted && a.complete, interrupted);
    }

    private static final class Assembly {
        final ExploreOptions options;
        long schedules;
        long pruned;
        long outOfBudget;
        final java.util.TreeMap<String, Long> outcomes = new java.util.TreeMap<>();
        final java.util.TreeMap<String, Long> violations = new java.util.TreeMap<>();
        ExecutionLog.Found best;
        /** The cap or the first violation was reached. */
        boolean ended;
        /** Nothing of the search was left out. */
        boolean complete = true;

        Assembly(ExploreOptions options) {
            this.options = options;
        }

        void walk(Task t) {
            if (ended) {
                complete = false; // something comes after the end
                return;
            }
            if (t.state != State.DONE) {
                complete = false; // never ran (interrupted)
                return;
            }
            ExecutionLog log = t.log;
            int n = log.size();
            int counted = 0;
            for (int i = 0; i < n && !ended; i++) {
                int code = log.code(i);
                schedules++;
                counted++;
                if ((code & ExecutionLog.PRUNED) != 0) {
                    pruned++;
                } else if ((code & ExecutionLog.OUT_OF_BUDGET) != 0) {
                    outOfBudget++;
                }
                String o = log.outcome(code);
                if (o != null) {
                    outcomes.merge(o, 1L, Long::sum);
                }
                org.gupsim.sched.ViolationKind k = ExecutionLog.kind(code);
                if (k != null) {
                    violations.merge(k.name(), 1L, Long::sum);
                    if (options.stopOnFirstViolation()) {
                        ended = true;
                    }
                }
                if (schedules >= options.maxSchedules()) {
                    ended = true;
                }
            }
            ExecutionLog.Found f = log.bestWithin(counted);
            if (f != null && (best == null || !options.stopOnFirstViolation() && f.beats(best))) {
                best = f;
            }
            if (ended && (counted < n || !t.searched)) {
                complete = false;
            }
            if (!t.searched && !ended) {
                complete = false; // stopped early without reason: interrupted
            }
            for (Task c : t.children) {
                walk(c);
            }
        }
    }

    private void walkCap(Task t, long[] sum, boolean[] reached) {
        if (reached[0]) {
            t.stop = true;
            if (t.state == State.PENDING) {
                pending.remove(t);
                t.state = State.CANCELLED;
            }
        } else {
            sum[0] += t.log.size();
            if (sum[0] >= options.maxSchedules()) {
                reached[0] = true;
            }
        }
        for (Task c : t.children) {
            walkCap(c, sum, reached);
        }
    }
}
