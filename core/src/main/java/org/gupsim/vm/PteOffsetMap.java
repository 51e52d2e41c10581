package org.gupsim.vm;

import org.gupsim.pgtable.Walk;

/**
 * What {@code pte_offset_map()} and {@code pte_offset_map_lock()} (mm/pgtable-generic.c) give the
 * locked walkers that reach a PTE table (page faults, GUP's slow path): since 6.6 a PTE table may
 * be unhooked and freed under the mmap lock held for read, or under no mmap lock at all
 * (khugepaged's retraction, 1d65b771bc08; {@code madvise(MADV_DONTNEED)} with CONFIG_PT_RECLAIM),
 * so those walkers hold {@code rcu_read_lock()} while they use the table (it is freed after a grace
 * period: "a racily removed table stays valid but disconnected") and, once they hold its lock,
 * check that the PMD still points to it ({@code pmd_same()}) and try again if not.
 *
 * <p>The model opens the RCU section before the walk that reaches the PTE (the kernel's starts at
 * the PMD read in {@code pte_offset_map()}; the upper tables are not freed under the mmap lock, so
 * the earlier start only holds a grace period a little longer) and closes it after the PTE lock is
 * released. Before 6.6 no table is freed while the mmap lock is held for read, so there is no
 * section and no recheck.
 */
public final class PteOffsetMap {
    private final Vm vm;

    PteOffsetMap(Vm vm) {
        this.vm = vm;
    }

    private boolean enabled() {
        return vm.pteOffsetMapRcu();
    }

    /** Opens the RCU read-side section {@code pte_offset_map()} takes; call before the walk. */
    public void begin() {
        if (enabled()) {
            vm.smp().rcu().rcuReadLock(vm.cpu());
        }
    }

    /** Closes it ({@code pte_unmap()}); call after the PTE lock is released. */
    public void end() {
        if (enabled()) {
            vm.smp().rcu().rcuReadUnlock(vm.cpu());
        }
    }

    /**
     * The {@code pmd_same()} recheck of {@code __pte_offset_map_lock()}, with the PTE lock of
     * {@code w.table} held: whether the entry that led the walk to the table still does. When it
     * does not, the table was unhooked (and will be freed once the section ends): the caller drops
     * the lock and lets the fault (or the lookup) be retried.
     */
    public boolean pmdSame(Walk w) {
        if (!enabled() || w.parent == null) {
            return true;
        }
        return w.parent.read(w.parentIndex, "pte_offset_map_lock(pmd_same)") == w.parentEntry;
    }
}
