/**
 * The model checker: runs an {@link org.gupsim.explore.ExploreTarget} (threads = simulated CPUs
 * plus the RCU thread, and whatever else the target schedules) under the schedules a
 * {@link org.gupsim.explore.Strategy} picks, with one virtual thread per target thread and a
 * single baton handed over at each scheduling point of {@code org.gupsim.sched}.
 *
 * <p>{@link org.gupsim.explore.Explorer} is the entry point; {@code Runner} runs one execution and
 * keeps one {@code ExploredThread} per target thread (its status, announced step and blocking
 * reason); the searches are depth-first with dynamic partial-order reduction (optionally
 * preemption-bounded), plain depth-first, random walk, PCT, and replay of a
 * {@link org.gupsim.explore.Schedule} string. Results ({@link org.gupsim.explore.ExplorationResult},
 * {@link org.gupsim.explore.Trace}) are a pure function of (target, strategy, options).
 * No kernel twin: this is the model checker's side.
 */
package org.gupsim.explore;
