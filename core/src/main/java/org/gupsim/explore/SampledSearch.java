package org.gupsim.explore;

/**
 * A search that samples: a set number of executions, each chosen by the search itself as its own
 * {@link Chooser}, never claiming to have covered the space and never asking for step keys (the
 * {@link Search} defaults). The
 * random walk, PCT and a replay (one execution) are such searches; what differs is only how they
 * choose, and what they prepare before each execution ({@link #prepare}).
 */
abstract class SampledSearch implements Search, Chooser {
    private long left;

    SampledSearch(long executions) {
        this.left = executions;
    }

    @Override
    public final boolean hasNext() {
        return left > 0;
    }

    @Override
    public final Chooser next() {
        left--;
        prepare();
        return this;
    }

    /** Called before each execution; nothing by default. */
    void prepare() {
    }

    /** Learns nothing by default. */
    @Override
    public void finished(Runner run) {
    }
}
