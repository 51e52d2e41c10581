package org.gupsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stateless depth-first search, with or without dynamic partial-order reduction.
 *
 * <p>The search keeps one {@link Node} per state of the current execution: the next step of every
 * thread there, who could run, the sleep set, the backtrack set (threads to try there) and the
 * done set (threads tried). After each execution it finds the deepest state with a thread left to
 * try and re-executes the fixed prefix up to it; the target must be deterministic, which the
 * search checks step by step. Within a state threads are tried non-preemptively first: the thread
 * that ran the last step if it can go on, then the others by index.
 *
 * <p>Without reduction every runnable thread is tried at every state (every interleaving).
 *
 * <p>With reduction: sleep sets plus source-set backtracking, in the style of Source-DPOR
 * (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014) applied at every state to every unfinished
 * thread's next step, as in Flanagan and Godefroid (POPL 2005), so blocked threads' next steps
 * count too. For a thread p with next step e' and each earlier step i of another thread that is
 * dependent on e' ({@link StepInfo#dependent(StepInfo, int, StepInfo, int)}) and does not happen before p's steps (vector
 * clocks over dependence plus program order), let v be the steps after i that do not happen after
 * i, followed by e'; the state before i must try one of v's initials (threads whose first step in
 * v has no predecessor in v). If one that can run there is already in its backtrack or sleep set
 * nothing is added, else one is; if none can run there, every runnable thread is added. Pairs
 * that were not co-enabled (p blocked at i on the same step) are skipped, and so are a lock's
 * release and another thread's wait to acquire it where the lock states ({@link
 * org.gupsim.sched.SchedLock}) that the releasing thread held it in a mode the waiter cannot share:
 * no execution runs that wait before that release, so reversing them is not a race to try (only
 * executions ending with every runnable thread asleep would come of it; the acquisitions
 * themselves still race, acquire against acquire). Processing only the last
 * race per thread, as the original Flanagan–Godefroid algorithm does, loses outcomes in
 * combination with sleep sets; ReductionProperties checks this variant against plain search.
 *
 * <p>With a preemption bound only schedules with at most that many preemptions run (a preemption
 * is switching away from a thread that could go on). Reduction and bounding do not compose
 * exactly (Coons, Musuvathi, McKinley, OOPSLA 2013), so a bound turns the reduction off: the
 * bounded search is exact, and small bounds keep it polynomial in the number of steps.
 *
 * <p><b>Splitting.</b> A search can hand the upper part of its tree to other searches
 * ({@link #split}): the nodes from the top of its own part down to a given depth become
 * <em>frozen</em>. A frozen node tries every runnable thread not in its sleep set (full
 * branching, as the search without reduction does) instead of the backtrack set the races ask
 * for; its children not tried yet go to new searches, each started on the frozen prefix
 * ({@link #DfsSearch(int, boolean, int, Node[])}). Full branching tries at least what the race
 * analysis would add, so races with frozen steps need no backtracking and are not analysed. What a
 * search explores is then a pure function of its prefix, so the subtrees can be explored in any
 * order, on any thread or machine, and give the same executions; see {@link TaskTree} for the
 * canonical order they are put back in.
 */
final class DfsSearch implements Search, Chooser {

    /**
     * A state of the current execution and the search's bookkeeping for it. Once frozen (above
     * {@link #frozen}) a node is never written again, so searches on other threads may share it.
     */
    static final class Node {
        StepInfo[] next;
        long enabled;
        long sleep;
        long backtrack;
        long done;
        int chosen;
        int preemptions;
        int[] clock;

        /** A copy that may choose another child: its clock is for its own choice, computed when it runs. */
        Node withChoice(int c, long doneWith) {
            Node m = new Node();
            m.next = next;
            m.enabled = enabled;
            m.sleep = sleep;
            m.backtrack = enabled;
            m.done = doneWith;
            m.chosen = c;
            m.preemptions = preemptions;
            return m;
        }
    }

    private final int n;
    private final boolean reduction;
    private final int bound;
    private final boolean sleepSets;
    private Node[] nodes = new Node[64];
    /** Nodes of the current execution. */
    private int size;
    /** Leading nodes whose choice is fixed for the next execution. */
    private int prefix;
    private boolean exhausted;
    private final int[] lastStepOf;
    // The current execution's steps by depth, flat for the race analysis's inner loops (it reads
    // them for most pairs of steps): who ran, what it did, its vector clock.
    private int[] by = new int[64];
    private StepInfo[] ran = new StepInfo[64];
    private int[][] clocks = new int[64][];
    // The steps that can be dependent on a given step, as chains through the depths of the current
    // execution (each entry: the depth of the previous such step, or -1), so the race analysis and
    // the clocks look at those rather than at every earlier step: the steps on one object (by key
    // number), the wildcard waits, and the IPIs and flush waits aimed at one thread.
    private int[] prevSameKey = new int[64];
    private int[] lastOfKey = new int[64];
    private int[] prevWildcard = new int[64];
    private int lastWildcard = -1;
    private int[] prevAimedAt = new int[64];
    private final int[] lastAimedAt;
    /** Steps of the current execution in the chains (every step taken so far). */
    private int linked;
    /** Nodes above this depth are frozen: fixed for this search, their other children are other searches'. */
    private int frozen;

    DfsSearch(int threads, boolean reduction, int preemptionBound) {
        this.n = threads;
        this.reduction = reduction && preemptionBound < 0;
        this.bound = preemptionBound;
        this.sleepSets = this.reduction;
        this.lastStepOf = new int[threads];
        this.lastAimedAt = new int[threads];
        Arrays.fill(lastOfKey, -1);
        Arrays.fill(lastAimedAt, -1);
    }

    /**
     * A search of the subtree below {@code prefixNodes}: their choices are fixed, they are not
     * modified (other searches may share them), and races with their steps are not analysed.
     */
    DfsSearch(int threads, boolean reduction, int preemptionBound, Node[] prefixNodes) {
        this(threads, reduction, preemptionBound);
        this.nodes = Arrays.copyOf(prefixNodes, Math.max(64, 2 * prefixNodes.length));
        this.frozen = prefixNodes.length;
        this.prefix = prefixNodes.length;
    }

    @Override
    public boolean hasNext() {
        return !exhausted;
    }

    @Override
    public Chooser next() {
        Arrays.fill(lastStepOf, -1);
        for (int d = 0; d < linked; d++) {
            if (ran[d].keyId() >= 0) {
                lastOfKey[ran[d].keyId()] = -1;
            }
        }
        lastWildcard = -1;
        Arrays.fill(lastAimedAt, -1);
        linked = 0;
        size = 0;
        return this;
    }

    @Override
    public boolean needsKeys() {
        return true;
    }

    @Override
    public boolean exhausted() {
        return exhausted;
    }

    @Override
    public int choose(Runner run, long enabled) {
        int d = run.steps();
        if (d == by.length) {
            by = Arrays.copyOf(by, 2 * d);
            ran = Arrays.copyOf(ran, 2 * d);
            clocks = Arrays.copyOf(clocks, 2 * d);
            prevSameKey = Arrays.copyOf(prevSameKey, 2 * d);
            prevWildcard = Arrays.copyOf(prevWildcard, 2 * d);
            prevAimedAt = Arrays.copyOf(prevAimedAt, 2 * d);
        }
        Node node;
        int c;
        if (d < prefix) {
            node = nodes[d];
            c = node.chosen;
            if (enabled != node.enabled || !node.next[c].equals(run.stepInfo(c))) {
                throw new IllegalStateException("the target is not deterministic: at step " + (d + 1) + " "
                        + run.name(c) + " announced " + run.stepInfo(c) + " where an earlier execution had "
                        + node.next[c] + " (runnable " + Long.toBinaryString(enabled) + " vs "
                        + Long.toBinaryString(node.enabled) + ")");
            }
        } else {
            node = newNode(d, run, enabled);
            if (reduction) {
                raceAnalysis(d, node);
            }
            long candidates = enabled & ~node.sleep;
            if (candidates == 0) {
                size = d + 1;
                return -1;
            }
            c = Chooser.stay(d > 0 ? nodes[d - 1].chosen : -1, candidates);
            node.backtrack = reduction ? 1L << c : enabled;
            node.done = 1L << c;
            node.chosen = c;
        }
        size = d + 1;
        by[d] = c;
        ran[d] = node.next[c];
        // A node of the fixed prefix ran the same step after the same history in the previous
        // execution, so its clock is still right; only the last one changed its choice.
        if (reduction && (d >= prefix - 1 || node.clock == null)) {
            node.clock = clock(d, c, node.next[c]);
        }
        clocks[d] = node.clock;
        lastStepOf[c] = d;
        link(d, ran[d]);
        return c;
    }

    /** Adds the step at depth {@code d} to the chains of the steps it may be dependent on. */
    private void link(int d, StepInfo step) {
        linked = d + 1;
        int k = step.keyId();
        if (k >= 0) {
            if (k >= lastOfKey.length) {
                int old = lastOfKey.length;
                lastOfKey = Arrays.copyOf(lastOfKey, Math.max(2 * old, k + 1));
                Arrays.fill(lastOfKey, old, lastOfKey.length, -1);
            }
            prevSameKey[d] = lastOfKey[k];
            lastOfKey[k] = d;
        }
        if (step.wildcard()) {
            prevWildcard[d] = lastWildcard;
            lastWildcard = d;
        }
        int t = step.ipiTarget();
        if (t >= 0 && t < n) {
            prevAimedAt[d] = lastAimedAt[t];
            lastAimedAt[t] = d;
        }
    }

    /** The latest step of this execution on the object numbered {@code k}, or -1. */
    private int lastOfKey(int k) {
        return k >= 0 && k < lastOfKey.length ? lastOfKey[k] : -1;
    }

    /**
     * Whether only the chains can hold the steps dependent on {@code step} of thread t: those on
     * its object, the wildcards and those aimed at t. A wildcard or an IPI of its own is
     * dependent on more (every step, every step of its target): those look at every step.
     */
    private static boolean chained(StepInfo step) {
        return !step.wildcard() && step.ipiTarget() < 0;
    }

    private Node newNode(int d, Runner run, long enabled) {
        if (d == nodes.length) {
            nodes = Arrays.copyOf(nodes, d * 2);
        }
        Node node = nodes[d];
        if (node == null) {
            node = new Node();
            nodes[d] = node;
        }
        node.next = new StepInfo[n];
        for (int t = 0; t < n; t++) {
            node.next[t] = run.stepInfo(t);
        }
        node.enabled = enabled;
        node.backtrack = 0;
        node.done = 0;
        node.chosen = -1;
        node.clock = null;
        node.sleep = 0;
        node.preemptions = 0;
        if (d > 0) {
            Node parent = nodes[d - 1];
            int pc = parent.chosen;
            node.preemptions = parent.preemptions + (preempts(parent, d - 1, pc) ? 1 : 0);
            if (sleepSets) {
                StepInfo ran = parent.next[pc];
                long s = (parent.sleep | parent.done) & ~(1L << pc);
                for (long m = s; m != 0; m &= m - 1) {
                    int q = Long.numberOfTrailingZeros(m);
                    StepInfo qs = parent.next[q];
                    if (qs != null && !StepInfo.dependent(qs, q, ran, pc)) {
                        node.sleep |= 1L << q;
                    }
                }
            }
        }
        return node;
    }

    /** Whether running {@code q} at node {@code d} is a preemption. */
    private boolean preempts(Node node, int d, int q) {
        if (d == 0) {
            return false;
        }
        int prev = nodes[d - 1].chosen;
        return q != prev && (node.enabled & (1L << prev)) != 0;
    }

    /**
     * For every unfinished thread p and every earlier step i of another thread that races with
     * p's next step e' (dependent, i not happening before p's steps, and p runnable at i unless
     * it has not moved since), make sure the state before i tries one of the initials of
     * v = (the steps after i that do not happen after i), e'.
     */
    private void raceAnalysis(int d, Node node) {
        for (int p = 0; p < n; p++) {
            StepInfo np = node.next[p];
            if (np == null) {
                continue;
            }
            int[] pc = lastStepOf[p] >= 0 ? clocks[lastStepOf[p]] : null;
            int[][] nc = {null};
            // Each earlier step dependent on np is in one of the chains (or, for a wildcard or an
            // IPI np, among all steps). A step met twice is harmless: racing only adds to its
            // node's backtrack set, and the second time finds what the first added.
            if (chained(np)) {
                for (int i = lastOfKey(np.keyId()); i >= frozen; i = prevSameKey[i]) {
                    race(d, p, np, pc, i, nc);
                }
                for (int i = lastWildcard; i >= frozen; i = prevWildcard[i]) {
                    race(d, p, np, pc, i, nc);
                }
                for (int i = lastAimedAt[p]; i >= frozen; i = prevAimedAt[i]) {
                    race(d, p, np, pc, i, nc);
                }
            } else {
                for (int i = d - 1; i >= frozen; i--) {
                    race(d, p, np, pc, i, nc);
                }
            }
        }
    }

    /**
     * If step i races with thread p's next step {@code np} (clock of p's last step {@code pc}),
     * makes sure the state before i tries one of the initials; {@code nc[0]} caches np's clock.
     */
    private void race(int d, int p, StepInfo np, int[] pc, int i, int[][] nc) {
        int ti = by[i];
        if (ti == p || (pc != null && pc[ti] >= i) || !StepInfo.dependent(ran[i], ti, np, p)) {
            return;
        }
        if (StepInfo.releaseGates(ran[i], np)) {
            return; // p's wait cannot end before this release: no execution runs them the other way
        }
        Node ni = nodes[i];
        if ((ni.enabled & (1L << p)) == 0 && lastStepOf[p] < i) {
            return; // p was blocked at i with this very step: the two cannot be swapped there
        }
        if (nc[0] == null) {
            nc[0] = clock(d, p, np);
        }
        long candidates = initials(i, d, nc[0], p) & ni.enabled;
        if (candidates == 0) {
            addBacktrack(i, ni.enabled);
        } else if ((candidates & (ni.backtrack | ni.sleep)) == 0) {
            addBacktrack(i, (candidates & (1L << p)) != 0 ? 1L << p : Long.lowestOneBit(candidates));
        }
    }

    /**
     * The threads that can start v: v is the steps in (i, d) that do not happen after step i,
     * followed by thread p's next step (clock {@code nc}); a thread is an initial when its first
     * step in v has no predecessor in v.
     */
    private long initials(int i, int d, int[] nc, int p) {
        int ti = by[i];
        long seen = 0;
        long initials = 0;
        for (int j = i + 1; j < d; j++) {
            int[] cj = clocks[j];
            int q = by[j];
            if (cj[ti] >= i || (seen & (1L << q)) != 0) {
                continue;
            }
            seen |= 1L << q;
            if (!precededInV(i, j, cj)) {
                initials |= 1L << q;
            }
        }
        if ((seen & (1L << p)) == 0 && !precededInV(i, d, nc)) {
            initials |= 1L << p;
        }
        return initials;
    }

    /** Whether a step of v before index {@code j} happens before the step with clock {@code cj}. */
    private boolean precededInV(int i, int j, int[] cj) {
        int ti = by[i];
        for (int g = i + 1; g < j; g++) {
            if (clocks[g][ti] < i && cj[by[g]] >= g) {
                return true;
            }
        }
        return false;
    }

    private void addBacktrack(int i, long threads) {
        nodes[i].backtrack |= threads;
    }

    /**
     * The vector clock of step {@code sc} of thread c at depth d: its own last step's, joined
     * with every earlier dependent step's.
     */
    private int[] clock(int d, int c, StepInfo sc) {
        int[] clk = new int[n];
        int last = lastStepOf[c];
        if (last >= 0) {
            System.arraycopy(clocks[last], 0, clk, 0, n);
        } else {
            Arrays.fill(clk, -1);
        }
        // Joining is order-free, and a step whose thread's later step is already in clk is in
        // it too, so looking only at the chains (see raceAnalysis) gives the same clock.
        if (chained(sc)) {
            for (int j = lastOfKey(sc.keyId()); j >= 0; j = prevSameKey[j]) {
                join(clk, j, c, sc);
            }
            for (int j = lastWildcard; j >= 0; j = prevWildcard[j]) {
                join(clk, j, c, sc);
            }
            for (int j = lastAimedAt[c]; j >= 0; j = prevAimedAt[j]) {
                join(clk, j, c, sc);
            }
        } else {
            for (int j = d - 1; j >= 0; j--) {
                join(clk, j, c, sc);
            }
        }
        clk[c] = d;
        return clk;
    }

    /** Joins step j's clock into {@code clk} if it is dependent on thread c's step {@code sc} and not in it yet. */
    private void join(int[] clk, int j, int c, StepInfo sc) {
        int tj = by[j];
        if (clk[tj] >= j || !StepInfo.dependent(ran[j], tj, sc, c)) {
            return;
        }
        int[] other = clocks[j];
        for (int t = 0; t < n; t++) {
            clk[t] = Math.max(clk[t], other[t]);
        }
    }

    /** Of {@code candidates} at node {@code d}: those not tried, not asleep and within the preemption bound. */
    private long todo(Node node, int d, long candidates) {
        long todo = candidates & node.enabled & ~node.done;
        if (sleepSets) {
            todo &= ~node.sleep;
        }
        if (bound >= 0) {
            for (long m = todo; m != 0; m &= m - 1) {
                int q = Long.numberOfTrailingZeros(m);
                if (node.preemptions + (preempts(node, d, q) ? 1 : 0) > bound) {
                    todo &= ~(1L << q);
                }
            }
        }
        return todo;
    }

    /**
     * Freezes the nodes of the current path from the top of this search's part down to at most
     * {@code levels} of them (never below the node the next execution branches at) and returns
     * the searches of their children not tried yet, as frozen prefixes, in the order this search
     * would have tried them: deepest node first, then by the non-preemptive order (the thread
     * that ran the parent's step, then by index). Each child's node records the children before
     * it as done, so its sleep set is what it would have been. Call between executions.
     */
    List<Node[]> split(int levels) {
        if (exhausted) {
            return List.of();
        }
        int f = (int) Math.min((long) frozen + levels, prefix);
        List<Node[]> out = new ArrayList<>();
        for (int j = f - 1; j >= frozen; j--) {
            Node node = nodes[j];
            long rest = todo(node, j, node.enabled);
            long done = node.done;
            int parentChoice = j > 0 ? nodes[j - 1].chosen : -1;
            while (rest != 0) {
                int c = Chooser.stay(parentChoice, rest);
                rest &= ~(1L << c);
                done |= 1L << c;
                Node[] sub = Arrays.copyOf(nodes, j + 1);
                sub[j] = node.withChoice(c, done);
                out.add(sub);
            }
        }
        frozen = Math.max(frozen, f);
        return out;
    }

    /** How many leading nodes are frozen. */
    int frozen() {
        return frozen;
    }

    @Override
    public void finished(Runner run) {
        for (int d = size - 1; d >= frozen; d--) {
            Node node = nodes[d];
            long todo = todo(node, d, node.backtrack);
            if (todo != 0) {
                int c = Chooser.stay(d > 0 ? nodes[d - 1].chosen : -1, todo);
                node.done |= 1L << c;
                node.chosen = c;
                prefix = d + 1;
                return;
            }
        }
        exhausted = true;
    }
}
