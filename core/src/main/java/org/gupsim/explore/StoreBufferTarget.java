package org.gupsim.explore;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;

/**
 * A target explored under a memory model with store buffers: the target's threads, each with a
 * store buffer, plus one flush thread per buffer (named {@code CPU0.sb} for {@code CPU0}) that
 * makes the oldest buffered store visible, one step each. The flush threads are ordinary explorer
 * threads, so exhaustive search explores every point at which each store can become visible, and
 * the partial-order reduction treats those steps like any other (see {@link StoreBuffers} for
 * their dependencies). Which stores wait in a buffer, which loads wait for them and which barriers
 * drain it is the model's answer ({@link StoreOrdering}); what the buffers cannot show is written
 * in docs/memory-models.md ("Under the explorer").
 *
 * <p>Sequential consistency needs no buffers: {@link #of} returns the target itself for a model
 * that orders every store before every later load, so its explorations are unchanged.
 */
public final class StoreBufferTarget implements ExploreTarget {

    private final ExploreTarget inner;
    private final StoreOrdering ordering;
    private final int n;
    private final String[] names;
    private StoreBuffers buffers;

    private StoreBufferTarget(ExploreTarget inner, StoreOrdering ordering) {
        this.inner = inner;
        this.ordering = ordering;
        this.n = inner.threads();
        Validate.isTrue(n >= 1 && n <= 32, "a target explored with store buffers has 1 to 32 threads: %d", n);
        this.names = new String[n];
        for (int t = 0; t < n; t++) {
            names[t] = inner.threadName(t);
        }
    }

    /**
     * {@code target} under {@code model}: with store buffers, or {@code target} itself when the
     * model buffers no store (sequential consistency).
     */
    public static ExploreTarget of(ExploreTarget target, MemoryModel model) {
        Validate.isTrue(target != null, "target must not be null");
        Validate.isTrue(model != null, "model must not be null");
        StoreOrdering ordering = new StoreOrdering(model);
        return ordering.buffersNothing() ? target : new StoreBufferTarget(target, ordering);
    }

    /** The memory model's name. */
    public String model() {
        return ordering.model;
    }

    @Override
    public int threads() {
        return 2 * n;
    }

    @Override
    public String threadName(int thread) {
        return thread < n ? names[thread] : StoreBuffers.flushName(names[thread - n]);
    }

    @Override
    public void setUp(Sched sched) {
        inner.setUp(sched);
        sched.interpose(hook -> buffers = new StoreBuffers(hook, sched, ordering, names));
    }

    @Override
    public void run(int thread) {
        if (thread < n) {
            inner.run(thread);
            buffers.finished(thread);
        } else {
            buffers.flush(thread - n);
        }
    }

    @Override
    public String outcome() {
        return inner.outcome();
    }

    @Override
    public List<Violation> finalChecks() {
        return inner.finalChecks();
    }
}
