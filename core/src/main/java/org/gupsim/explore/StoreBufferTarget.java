package org.gupsim.explore;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;

/**
 * A target explored under a memory model with store buffers: the target's threads, each with a
 * store buffer, plus one flush thread per buffer (named {@code CPU0.sb} for {@code CPU0}; where the
 * model lets stores to different locations become visible out of order each CPU has a buffer per
 * location, {@code CPU0.sb}, {@code CPU0.sb1}, {@code CPU0.sb2}) that makes the buffer's oldest
 * store visible, one step each. The flush threads are ordinary explorer
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
    /** Buffers (and flush threads) per thread: 1 on tso, {@link #LANES} (fewer for many threads) on arm64 and power. */
    private final int lanes;
    private final String[] names;
    private StoreBuffers buffers;

    /**
     * How many locations a CPU's stores may be buffered for, each in its own FIFO, where the model
     * lets stores to different locations become visible out of order: the first two locations a CPU
     * stores to since it last drained its buffers get their own, the others share the third (see
     * docs/memory-models.md, "Under the explorer"). Every flush thread is an explorer thread.
     */
    static final int LANES = 3;

    private StoreBufferTarget(ExploreTarget inner, StoreOrdering ordering, int maxLanes) {
        this.inner = inner;
        this.ordering = ordering;
        this.n = inner.threads();
        Validate.isTrue(n >= 1 && n <= 32, "a target explored with store buffers has 1 to 32 threads: %d", n);
        this.lanes = ordering.outOfOrder() ? Math.min(maxLanes, 64 / n - 1) : 1;
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
        return of(target, model, LANES);
    }

    /**
     * {@link #of(ExploreTarget, MemoryModel)} with at most {@code maxLanes} buffers (and flush
     * threads) per thread where the model lets stores to different locations pass each other: fewer
     * threads, so that plain depth-first search can check the reduction on small programs; 1 keeps
     * every CPU's stores in order.
     */
    public static ExploreTarget of(ExploreTarget target, MemoryModel model, int maxLanes) {
        Validate.isTrue(target != null, "target must not be null");
        Validate.isTrue(model != null, "model must not be null");
        Validate.isTrue(maxLanes >= 1, "maxLanes must be at least 1: %d", maxLanes);
        StoreOrdering ordering = new StoreOrdering(model);
        return ordering.buffersNothing() ? target : new StoreBufferTarget(target, ordering, maxLanes);
    }

    /** The memory model's name. */
    public String model() {
        return ordering.model;
    }

    /** Flush threads per target thread: 1 when the model keeps stores in order, else up to {@link #LANES}. */
    public int lanes() {
        return lanes;
    }

    @Override
    public int threads() {
        return n + n * lanes;
    }

    @Override
    public String threadName(int thread) {
        if (thread < n) {
            return names[thread];
        }
        int f = thread - n;
        return StoreBuffers.flushName(names[f / lanes], f % lanes);
    }

    @Override
    public void setUp(Sched sched) {
        inner.setUp(sched);
        sched.interpose(hook -> buffers = new StoreBuffers(hook, sched, ordering, names, lanes));
    }

    @Override
    public void run(int thread) {
        if (thread < n) {
            inner.run(thread);
            buffers.finished(thread);
        } else {
            buffers.flush((thread - n) / lanes, (thread - n) % lanes);
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
