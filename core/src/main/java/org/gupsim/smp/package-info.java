/**
 * Simulated CPUs and the kernel's synchronisation primitives: IRQ disable/enable, preemption,
 * spinlocks, the mmap rw-semaphore, RCU. Mirrors kernel/smp.c, kernel/locking/, kernel/rcu/.
 *
 * <p>In direct mode one thread runs on CPU 0 and every primitive is bookkeeping plus a sanity
 * check (taking a spinlock its CPU already holds is a self-deadlock, reported). The explorer of a
 * later stage makes the waits real by blocking CPUs in its engine.
 */
package org.gupsim.smp;
