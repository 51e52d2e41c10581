package org.gupsim.explore;

import java.util.concurrent.atomic.LongAdder;

/**
 * A handle on running explorations, for another thread: how far they got (for a progress line)
 * and a request to stop (Ctrl-C). One control may watch several explorations (the cells of a
 * comparison). Thread-safe.
 *
 * <p>A stop request ends every exploration watching this control after the execution in progress
 * on each worker: the result is marked {@link ExplorationResult#interrupted()} and covers what ran.
 */
public final class ExploreControl {
    private final LongAdder executions = new LongAdder();
    private volatile boolean stop;

    /** Asks the explorations to stop as soon as their running executions end. */
    public void requestStop() {
        stop = true;
    }

    public boolean stopRequested() {
        return stop;
    }

    /** Executions finished so far, over every exploration this control watches. */
    public long executions() {
        return executions.sum();
    }

    void executed() {
        executions.increment();
    }
}
