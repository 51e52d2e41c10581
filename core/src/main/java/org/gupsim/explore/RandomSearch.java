package org.gupsim.explore;

import java.util.SplittableRandom;

/** Random walk: at each decision a runnable thread drawn uniformly from one seeded generator. */
final class RandomSearch extends SampledSearch {
    private final SplittableRandom random;

    RandomSearch(long seed, long schedules) {
        super(schedules);
        this.random = new SplittableRandom(seed);
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
}
