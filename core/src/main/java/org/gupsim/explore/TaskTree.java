package org.gupsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.commons.lang3.Validate;
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

    /** Where a task is; {@code ELSEWHERE}: another shard explores it. */
    enum State { PENDING, RUNNING, DONE, CANCELLED, ELSEWHERE }

    /** A part of the search. Fields other than the final ones are guarded by the tree's lock. */
    static final class Task {
        final Task parent;
        /** Pairs (MAX - split number, index in split) from the root; see {@link #KEY_ORDER}. */
        final long[] key;
        /** The frozen prefix, or null for the root. */
        final DfsSearch.Node[] prefix;
        /** The task's number among its parent's children in the order they were made (0, 1, ...). */
        final int ordinal;
        final List<Task> children = new ArrayList<>();
        int splits;
        State state = State.PENDING;
        /** Set by the tree when the task can stop: its executions can no longer matter. */
        volatile boolean stop;
        // written by the worker running the task, read once it is DONE
        ExecutionLog log = new ExecutionLog();
        boolean searched;
        RuntimeException failure;

        Task(Task parent, long[] key, DfsSearch.Node[] prefix, int ordinal) {
            this.parent = parent;
            this.key = key;
            this.prefix = prefix;
            this.ordinal = ordinal;
        }

        /** The task of a whole search. */
        static Task root() {
            return new Task(null, new long[0], null, 0);
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
    private final int shard;
    private final int shards;
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
        this(params, reduction, preemptionBound, options, control, 0, 1);
    }

    /**
     * The tree as shard {@code shard} of {@code shards} explores it: the root task, and of the
     * root's children (and their subtrees) those whose ordinal is {@code shard} modulo
     * {@code shards}; the others are left {@link State#ELSEWHERE}. The parts of all shards
     * together are the whole tree ({@link #assemble}).
     */
    TaskTree(Params params, boolean reduction, int preemptionBound, ExploreOptions options, ExploreControl control,
             int shard, int shards) {
        this.shard = shard;
        this.shards = shards;
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
                if (!mine(t)) {
                    t.state = State.ELSEWHERE;
                    continue;
                }
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

    /** Whether this shard explores {@code t}: all but the root's children of other shards. */
    private boolean mine(Task t) {
        return t.parent != root || t.ordinal % shards == shard;
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
        int ordinal = t.children.size();
        for (int i = 0; i < parts.size(); i++) {
            long[] key = Arrays.copyOf(t.key, t.key.length + 1);
            key[t.key.length] = (long) (Integer.MAX_VALUE - t.splits) << 32 | i;
            Task c = new Task(t, key, parts.get(i), ordinal++);
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

    /** This shard's part of the tree, once {@link #explore} returned; see {@link SearchShard}. */
    SearchShard shard(int stepBudget) {
        List<SearchShard.TaskPart> parts = new ArrayList<>();
        collect(root, parts);
        return new SearchShard(shard, shards, stepBudget, control.stopRequested(), parts);
    }

    private void collect(Task t, List<SearchShard.TaskPart> out) {
        List<Long> key = new ArrayList<>();
        for (long k : t.key) {
            key.add(k);
        }
        ExecutionLog log = t.log;
        List<Integer> codes = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            codes.add(log.code(i));
        }
        List<SearchShard.Found> found = new ArrayList<>();
        for (ExecutionLog.Found f : log.found()) {
            found.add(new SearchShard.Found(f.index(), f.violation().kind().name(), f.violation().subject(),
                    f.violation().message(), f.steps(), f.switches(), f.schedule()));
        }
        State state = !mine(t) ? State.ELSEWHERE
                : t.state == State.PENDING || t.state == State.RUNNING ? State.CANCELLED : t.state;
        out.add(new SearchShard.TaskPart(key, t.ordinal, state.name(), t.searched, log.outcomes(), codes, found));
        for (Task c : t.children) {
            collect(c, out);
        }
    }

    /**
     * Rebuilds the whole tree from every shard's part and assembles its result.
     *
     * @throws IllegalArgumentException when the parts are not the N shards of one search: a shard
     *                                  missing or given twice, different shard counts or step
     *                                  budgets, roots that differ, or a task no shard explored
     */
    static Result merge(List<SearchShard> shards, ExploreOptions options) {
        List<SearchShard> byIndex = ShardPart.inShardOrder(shards);
        for (SearchShard s : byIndex) {
            Validate.isTrue(s.stepBudget() == shards.get(0).stepBudget(),
                    "the shards do not come from one search: step budgets %d and %d", shards.get(0).stepBudget(),
                    s.stepBudget());
        }
        java.util.TreeMap<long[], SearchShard.TaskPart> explored = new java.util.TreeMap<>(KEY_ORDER);
        java.util.TreeMap<long[], SearchShard.TaskPart> listed = new java.util.TreeMap<>(KEY_ORDER);
        SearchShard.TaskPart rootPart = null;
        boolean interrupted = false;
        for (SearchShard s : byIndex) {
            interrupted |= s.interrupted();
            for (SearchShard.TaskPart p : s.tasks()) {
                long[] key = p.key().stream().mapToLong(Long::longValue).toArray();
                if (key.length == 0) {
                    Validate.isTrue(rootPart == null || rootPart.codes().equals(p.codes()),
                            "the shards do not come from one search: their first %d executions differ",
                            Math.min(rootPart == null ? 0 : rootPart.codes().size(), p.codes().size()));
                    if (rootPart == null) {
                        rootPart = p;
                    }
                    continue;
                }
                listed.put(key, p);
                if (!p.state().equals(State.ELSEWHERE.name())) {
                    Validate.isTrue(explored.put(key, p) == null, "two shards explored the same task");
                }
            }
        }
        Validate.isTrue(rootPart != null, "shard 0/%d has no root task", byIndex.size());
        for (long[] key : listed.keySet()) {
            Validate.isTrue(explored.containsKey(key), "no shard explored task %s", Arrays.toString(key));
        }
        java.util.Map<List<Long>, Task> tasks = new java.util.HashMap<>();
        Task root = task(null, rootPart);
        tasks.put(List.of(), root);
        for (SearchShard.TaskPart p : explored.values()) {
            List<Long> parentKey = p.key().subList(0, p.key().size() - 1);
            Task parent = tasks.get(parentKey);
            Validate.isTrue(parent != null, "no shard explored the parent of task %s", p.key());
            Task t = task(parent, p);
            parent.children.add(t); // explored is in key order: children come out in canonical order
            tasks.put(p.key(), t);
        }
        return assemble(List.of(root), options, interrupted);
    }

    private static Task task(Task parent, SearchShard.TaskPart p) {
        long[] key = p.key().stream().mapToLong(Long::longValue).toArray();
        Task t = new Task(parent, key, null, p.ordinal());
        t.state = State.valueOf(p.state());
        t.searched = p.searched();
        List<ExecutionLog.Found> found = new ArrayList<>();
        for (SearchShard.Found f : p.found()) {
            found.add(new ExecutionLog.Found(f.index(), new org.gupsim.sched.Violation(
                    org.gupsim.sched.ViolationKind.valueOf(f.kind()), f.message(), f.subject()), f.steps(),
                    f.switches(), f.schedule()));
        }
        t.log = ExecutionLog.of(p.codes().stream().mapToInt(Integer::intValue).toArray(), p.outcomes(), found);
        return t;
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
