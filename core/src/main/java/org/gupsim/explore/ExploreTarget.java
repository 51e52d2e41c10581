package org.gupsim.explore;

import java.util.List;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;

/**
 * A program the {@link Explorer} can run under many schedules: a world, one program per thread,
 * an observed outcome and end-of-run checks. Threads are the simulated CPUs plus, when the
 * world has one, the RCU callback thread; the explorer knows nothing else about them.
 *
 * <p>Each execution calls {@link #setUp} (build a fresh world), then {@link #run} once per
 * thread on that thread's own virtual thread, one at a time, then {@link #outcome} and
 * {@link #finalChecks}. Everything runs on virtual threads the explorer starts (the explorer's
 * own loop included), so thread-locals of the caller are not visible, and model code must not
 * block on monitors or I/O. The target must be deterministic: the same
 * schedule must make the same scheduling points (see {@link org.gupsim.sched.SchedKeyed} for the object keys).
 */
public interface ExploreTarget {

    /** How many threads; 1 to 64. */
    int threads();

    /** The thread's name in traces and reports, e.g. {@code "CPU0"} or {@code "RCU"}. */
    String threadName(int thread);

    /**
     * Builds a fresh world whose scheduling points go to {@code sched}. Called before every
     * execution; the explorer attaches its hook after this returns, so points made while building
     * are direct-mode no-ops. The world may register {@link Sched#onSwitch}.
     */
    void setUp(Sched sched);

    /**
     * The program of one thread. It runs with the baton; every {@link Sched#point} or
     * {@link Sched#waitUntil} may hand the baton elsewhere. A violation reported through the
     * {@link Sched} ends the execution: the call unwinds with an internal {@link Error}.
     */
    void run(int thread);

    /** The observed outcome once all threads have finished, e.g. {@code "pinned=1"}. */
    String outcome();

    /** End-of-run invariants (leaks, accounting); empty when all hold. Defaults to none. */
    default List<Violation> finalChecks() {
        return List.of();
    }
}
