package org.gupsim.sched;

import java.util.Arrays;

/**
 * Stateless depth-first search, with or without dynamic partial-order reduction.
 *
 * <p>The search keeps one {@link Node} per state of the current execution: the next step of every
 * thread there, who could run, the sleep set, the backtrack set (threads still to try there) and
 * the done set (threads tried). After each execution it finds the deepest state with a thread left
 * to try and re-executes the fixed prefix up to it (the target is deterministic, which the search
 * checks step by step).
 *
 * <p>With reduction this is the algorithm of Flanagan and Godefroid (POPL 2005) with sleep sets.
 * At each new state, for every unfinished thread p (blocked ones too) the search finds the last
 * step i of another thread that is dependent on p's next step (see {@link StepInfo#dependent})
 * and does not happen before it (vector clocks over the dependence relation plus program order);
 * if p, or a thread whose later step happens before p's next step, could run at i, one of them is
 * added to i's backtrack set, else every thread that could run at i. Without reduction every
 * runnable thread is tried at every state. Within a state threads are tried non-preemptively
 * first: the thread that ran the last step if it can go on, then the others by index.
 *
 * <p>With a preemption bound only schedules with at most that many preemptions run (a preemption
 * is switching away from a thread that could go on). Bounding and reduction do not compose
 * soundly as such; following Coons, Musuvathi and McKinley (OOPSLA 2013) a thread added to a
 * backtrack set is also added at the last context switch before that state, and sleep sets are
 * off. Plain DFS with the same bound is the exact bounded search.
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
        this.reduction = reduction;
        this.bound = preemptionBound;
        this.sleepSets = reduction && preemptionBound < 0;
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
            node.clock = clock(d, c);
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
                    if (qs != null && !StepInfo.dependent(qs, ran)) {
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

    private void raceAnalysis(int d, Node node) {
        for (int p = 0; p < n; p++) {
            StepInfo np = node.next[p];
            if (np == null) {
                continue;
            }
            int[] pc = lastStepOf[p] >= 0 ? nodes[lastStepOf[p]].clock : null;
            for (int i = d - 1; i >= 0; i--) {
                Node ni = nodes[i];
                int ti = ni.chosen;
                if (ti == p || (pc != null && pc[ti] >= i) || !StepInfo.dependent(ni.next[ti], np)) {
                    continue;
                }
                long e = ni.enabled & (1L << p);
                if (pc != null) {
                    for (int j = i + 1; j < d; j++) {
                        int q = nodes[j].chosen;
                        if (pc[q] >= j) {
                            e |= ni.enabled & (1L << q);
                        }
                    }
                }
                if (e == 0) {
                    addBacktrack(i, ni.enabled);
                } else if ((ni.backtrack & e) == 0) {
                    addBacktrack(i, (e & (1L << p)) != 0 ? 1L << p : Long.lowestOneBit(e));
                }
                break;
            }
        }
    }

    private void addBacktrack(int i, long threads) {
        nodes[i].backtrack |= threads;
        if (bound >= 0) {
            int j = i;
            while (j > 0 && nodes[j - 1].chosen == nodes[j].chosen) {
                j--;
            }
            nodes[j].backtrack |= threads & nodes[j].enabled;
        }
    }

    /** The vector clock of step d run by thread c: its own last step's, joined with every earlier dependent step's. */
    private int[] clock(int d, int c) {
        int[] clk = new int[n];
        int last = lastStepOf[c];
        if (last >= 0) {
            System.arraycopy(nodes[last].clock, 0, clk, 0, n);
        } else {
            Arrays.fill(clk, -1);
        }
        StepInfo sc = nodes[d].next[c];
        for (int j = d - 1; j >= 0; j--) {
            Node nj = nodes[j];
            int tj = nj.chosen;
            if (clk[tj] >= j || !StepInfo.dependent(nj.next[tj], sc)) {
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
