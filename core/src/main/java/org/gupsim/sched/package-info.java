/**
 * The seam between the kernel model and whoever drives it: scheduling points, violations and traces.
 *
 * <p>Every access the kernel would mark ({@code READ_ONCE}/{@code WRITE_ONCE}, atomics, page-table
 * entry reads and writes, lock and IRQ operations, IPI sends) calls {@link org.gupsim.sched.Sched#point}.
 * In direct mode no explorer is attached and a point is a single field check; an explorer plugs in
 * as a {@link org.gupsim.sched.SchedHook} and decides who runs next. No kernel twin: this is the
 * model checker's side.
 */
package org.gupsim.sched;
