package org.gupsim.explore;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 *
 * <p>Per schedule: the threads get distinct random priorities {@code d .. d+n-1}, and {@code d-1}
 * change points are drawn uniformly from steps {@code 1..k}; the runnable thread with the highest
 * priority runs, and after change point i the thread that ran that step drops to priority
 * {@code d-1-i}, below every initial priority. {@code k} is the longest execution seen so far
 * (the first schedule has no change points), so everything follows from the seed.
 *
 * <p>The change points are drawn in order and then sorted by (step, draw), so that a decision
 * applies the ones at its step in draw order (the last drawn wins) without scanning them all.
 * Memory is fixed by the depth, which {@link Strategy.Pct} bounds.
 */
final class PctSearch extends SampledSearch {
    private final SplittableRandom random;
    private final int depth;
    private final int[] priority;
    private final int[] change;
    /** The change points as (step &lt;&lt; 32 | draw index), sorted. */
    private final long[] order;
    /** The next entry of {@link #order} not yet reached. */
    private int nextChange;
    private int k;

    PctSearch(int threads, long seed, int depth, long schedules) {
        super(schedules);
        this.random = new SplittableRandom(seed);
        this.depth = depth;
        this.priority = new int[threads];
        this.change = new int[depth - 1];
        this.order = new long[depth - 1];
    }

    /** Draws this execution's priorities and change points. */
    @Override
    void prepare() {
        int n = priority.length;
        for (int t = 0; t < n; t++) {
            priority[t] = t;
        }
        for (int t = n - 1; t > 0; t--) {
            int j = random.nextInt(t + 1);
            int x = priority[t];
            priority[t] = priority[j];
            priority[j] = x;
        }
        for (int t = 0; t < n; t++) {
            priority[t] += depth;
        }
        for (int i = 0; i < change.length; i++) {
            change[i] = k == 0 ? -1 : 1 + random.nextInt(k);
            order[i] = (long) change[i] << 32 | i;
        }
        Arrays.sort(order);
        nextChange = 0;
    }

    @Override
    public int choose(Runner run, long enabled) {
        if (enabled == 0) {
            return -1;
        }
        int s = run.steps();
        int prev = run.previous();
        while (nextChange < order.length && (int) (order[nextChange] >> 32) <= s) {
            int i = (int) order[nextChange++];
            if (change[i] == s && prev >= 0) {
                priority[prev] = depth - 1 - i;
            }
        }
        int best = -1;
        for (long m = enabled; m != 0; m &= m - 1) {
            int t = Long.numberOfTrailingZeros(m);
            if (best < 0 || priority[t] > priority[best]) {
                best = t;
            }
        }
        return best;
    }

    @Override
    public void finished(Runner run) {
        k = Math.max(k, run.steps());
    }
}
