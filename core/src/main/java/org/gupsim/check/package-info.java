/**
 * Invariants and sanitizers over a machine's state: map counts that match the page tables,
 * reference counts that cover every mapping, cache reference and pin, and nothing left over at
 * teardown. The runtime detectors (use-after-free, refcount and pin-count underflow) sit where
 * the accesses happen and report through {@link org.gupsim.sched.Sched}; this package checks
 * whole-state properties. Mirrors what CONFIG_DEBUG_VM's {@code VM_BUG_ON}s and the bad-page
 * checks of mm/page_alloc.c assert.
 */
package org.gupsim.check;
