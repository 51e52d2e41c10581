package org.gupsim.explore;

import java.util.Arrays;

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
 * that were not co-enabled (p blocked at i on the same step) are skipped. Processing only the last
 * race per thread, as the original Flanagan–Godefroid algorithm does, loses outcomes in
 * combination with sleep sets; ReductionProperties checks this variant against plain search.
 *
 * <p>With a preemption bound only schedules with at most that many preemptions run (a preemption
 * is switching away from a thread that could go on). Reduction and bounding do not compose
 * exactly (Coons, Musuvathi, McKinley, OOPSLA 2013), so a bound turns the reduction off: the
 * bounded search is exact, and small bounds keep it polynomial in the number of steps.
 */
final class DfsSearch implements Search, Chooser {

    /** A state of the current execution and the search's bookkeeping for it. */
    private static final class Node {
        StepInfo[] next;
        long enabled;
        long sleep;
        long backtrack;
        long done;
        int chosen;
        int preemptions;
        int[] clock;
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

    DfsSearch(int threads, boolean reduction, int preemptionBound) {
        this.n = threads;
        this.reduction = reduction && preemptionBound < 0;
        this.bound = preemptionBound;
        this.sleepSets = this.reduction;
        this.lastStepOf = new int[threads];
    }

    @Override
    public boolean hasNext() {
        return !exhausted;
    }

    @Override
    public Chooser next() {
        Arrays.fill(lastStepOf, -1);
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
        if (reduction) {
            node.clock = clock(d, c, node.next[c]);
        }
        lastStepOf[c] = d;
        return c;
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
            int[] pc = lastStepOf[p] >= 0 ? nodes[lastStepOf[p]].clock : null;
            int[] nc = null;
            for (int i = d - 1; i >= 0; i--) {
                Node ni = nodes[i];
                int ti = ni.chosen;
                if (ti == p || (pc != null && pc[ti] >= i) || !StepInfo.dependent(ni.next[ti], ti, np, p)) {
                    continue;
                }
                if ((ni.enabled & (1L << p)) == 0 && lastStepOf[p] < i) {
                    continue; // p was blocked at i with this very step: the two cannot be swapped there
                }
                if (nc == null) {
                    nc = clock(d, p, np);
                }
                long candidates = initials(i, d, nc, p) & ni.enabled;
                if (candidates == 0) {
                    addBacktrack(i, ni.enabled);
                } else if ((candidates & (ni.backtrack | ni.sleep)) == 0) {
                    addBacktrack(i, (candidates & (1L << p)) != 0 ? 1L << p : Long.lowestOneBit(candidates));
                }
            }
        }
    }

    /**
     * The threads that can start v: v is the steps in (i, d) that do not happen after step i,
     * followed by thread p's next step (clock {@code nc}); a thread is an initial when its first
     * step in v has no predecessor in v.
     */
    private long initials(int i, int d, int[] nc, int p) {
        int ti = nodes[i].chosen;
        long seen = 0;
        long initials = 0;
        for (int j = i + 1; j < d; j++) {
            int[] cj = nodes[j].clock;
            int q = nodes[j].chosen;
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
        int ti = nodes[i].chosen;
        for (int g = i + 1; g < j; g++) {
            Node ng = nodes[g];
            if (ng.clock[ti] < i && cj[ng.chosen] >= g) {
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
            System.arraycopy(nodes[last].clock, 0, clk, 0, n);
        } else {
            Arrays.fill(clk, -1);
        }
        for (int j = d - 1; j >= 0; j--) {
            Node nj = nodes[j];
            int tj = nj.chosen;
            if (clk[tj] >= j || !StepInfo.dependent(nj.next[tj], tj, sc, c)) {
                continue;
            }
            int[] other = nj.clock;
            for (int t = 0; t < n; t++) {
                clk[t] = Math.max(clk[t], other[t]);
            }
        }
        clk[c] = d;
        return clk;
    }

    @Override
    public void finished(Runner run) {
        for (int d = size - 1; d >= 0; d--) {
            Node node = nodes[d];
            long todo = node.backtrack & node.enabled & ~node.done;
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
