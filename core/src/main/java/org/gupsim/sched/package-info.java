/**
 * The seam between the kernel model and whoever drives it, and the model checker that drives it:
 * scheduling points, waits, violations, exploration strategies, schedules and traces.
 *
 * <p>Every access the kernel would mark ({@code READ_ONCE}/{@code WRITE_ONCE}, atomics, page-table
 * entry reads and writes, lock and IRQ operations, IPI sends) calls {@link org.gupsim.sched.Sched#point};
 * code that would spin calls {@link org.gupsim.sched.Sched#waitUntil}. In direct mode no explorer is
 * attached and a point is a single field check. {@link org.gupsim.sched.Explorer} runs an
 * {@link org.gupsim.sched.ExploreTarget} (threads = simulated CPUs plus the RCU thread) with one
 * virtual thread per thread and a single baton, under a {@link org.gupsim.sched.Strategy}:
 * depth-first search with dynamic partial-order reduction (optionally preemption-bounded), plain
 * depth-first search, random walk, PCT, or replay of a {@link org.gupsim.sched.Schedule} string.
 * Objects are identified across executions by stable keys ({@link org.gupsim.sched.SchedKeyed} or
 * {@code toString()}). Results are a pure function of (target, strategy, options). No kernel twin:
 * this is the model checker's side.
 */
package org.gupsim.sched;
