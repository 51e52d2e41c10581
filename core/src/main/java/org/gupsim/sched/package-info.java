/**
 * The seam between the kernel model and whoever drives it: the part kernel code calls.
 *
 * <p>Every access the kernel would mark ({@code READ_ONCE}/{@code WRITE_ONCE}, atomics, page-table
 * entry reads and writes, lock and IRQ operations, IPI sends) calls {@link org.gupsim.sched.Sched#point};
 * code that would spin calls {@link org.gupsim.sched.Sched#waitUntil}. A kernel bug the model
 * detects is a {@link org.gupsim.sched.Violation}, reported through
 * {@link org.gupsim.sched.Sched#report}. In direct mode no {@link org.gupsim.sched.SchedHook} is
 * attached: a point is a single field check and a violation is thrown as a
 * {@link org.gupsim.sched.KernelBugException}. The model checker that drives the points lives in
 * {@code org.gupsim.explore}, above the kernel packages; nothing here knows it. Objects name
 * themselves to it with stable keys ({@link org.gupsim.sched.SchedKeyed} or {@code toString()}).
 * No kernel twin: this is the model checker's side of the kernel's marked accesses.
 */
package org.gupsim.sched;
