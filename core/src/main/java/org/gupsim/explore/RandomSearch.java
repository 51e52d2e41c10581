package org.gupsim.explore;

import java.util.SplittableRandom;

/** Random walk: at each decision a runnable thread drawn uniformly from one seeded generator. */
final class RandomSearch implements Search, Chooser {
    private final SplittableRandom random;
    private long left;

    RandomSearch(long seed, long schedules) {
        this.random = new SplittableRandom(seed);
        this.left = schedules;
    }

    @Override
    public boolean hasNext() {
        return left > 0;
    }

    @Override
    public Chooser next() {
        left--;
        return this;
    }

    @Override
    public int choose(Runner run, long enabled) {
        if (enabled == 0) {
            return -1;
        }
        long m = enabled;
        for (int k = random.nextInt(Long.bitCount(enabled)); k > 0; k--) {
            m &= m - 1;
        }
        return Long.numberOfTrailingZeros(m);
    }

    @Override
    public void finished(Runner run) {
        // nothing to learn
    }

    @Override
    public boolean exhausted() {
        return false;
    }

    @Override
    public boolean needsKeys() {
        return false;
    }
}
