package org.gupsim.arch.s390;

import org.apache.commons.lang3.Validate;
import org.gupsim.mm.Errno;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Access;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.Smp;
import org.gupsim.util.Args;
import org.gupsim.vm.Mm;

/**
 * The run-time growth of an s390 address space. Mirrors arch/s390/mm/pgalloc.c
 * {@code crst_table_upgrade()} and {@code __crst_table_upgrade()}, and arch/s390/mm/mmap.c
 * {@code check_asce_limit()}.
 *
 * <p>A new mm translates 4 TB with a region-third table on top. When a mapping would end above
 * that, a region-second table (8 PB) and, if needed, a region-first table are allocated and put
 * on top, each with its entry 0 pointing at the old top, so every existing translation stays
 * where it was. Nothing is freed and no entry below the old top changes, which is why a
 * concurrent GUP-fast walk that started from the old top still reads live tables: it walks a
 * subtree that is now also reachable from the new top. The caller holds the mmap lock for write
 * (so no second upgrade, and no mapping that needs one, can run at the same time); the switch
 * itself is made under {@code mm->page_table_lock}. Afterwards every CPU reloads its
 * address-space control element: {@code on_each_cpu(__crst_table_upgrade, mm, 0)}, an IPI that
 * the kernel does not wait for.
 */
public final class S390Pgalloc {
    private static final String FN = "crst_table_upgrade";

    private S390Pgalloc() {
    }

    /**
     * Mirrors arch/s390/mm/mmap.c {@code check_asce_limit()}: upgrade if {@code end} is above the
     * mm's reach and within {@code TASK_SIZE}.
     *
     * @return 0, or {@code -ENOMEM} if {@code end} is beyond {@code TASK_SIZE} or a table could not
     *         be allocated
     */
    public static int checkAsceLimit(Mm mm, long end) {
        Args.notNull(mm, "mm");
        long asceLimit = mm.pageTables().geometry().addressLimit();
        if (Long.compareUnsigned(end, asceLimit) <= 0) {
            return 0;
        }
        if (Long.compareUnsigned(end, mm.taskSize()) > 0) {
            return -Errno.ENOMEM.code();
        }
        return crstTableUpgrade(mm, end);
    }

    /**
     * Mirrors arch/s390/mm/pgalloc.c {@code crst_table_upgrade()}: from 3 to 4, 3 to 5 or 4 to 5
     * levels, whatever {@code end} needs. The caller must hold the mmap lock for write: the
     * kernel says so in a comment and catches a second, concurrent upgrade after the fact with
     * {@code VM_BUG_ON(asce_limit != mm->context.asce_limit)} under the page-table lock; the model
     * checks the precondition itself, as lockdep's {@link Mm#mmapAssertWriteLocked} would, so a
     * caller without the lock is reported even when nothing races with it.
     *
     * @return 0, or {@code -ENOMEM} when a crst table cannot be allocated
     */
    public static int crstTableUpgrade(Mm mm, long end) {
        mm.mmapAssertWriteLocked(FN);
        PageTables pt = mm.pageTables();
        Geometry g = pt.geometry();
        Validate.isTrue(g.top().ordinal() <= Level.PUD.ordinal(),
                "mm must have at least 3 levels (a region-third table on top), had %s", g.top());
        if (Long.compareUnsigned(end, g.addressLimit()) <= 0) {
            return 0;
        }
        PageTable p4d = null;
        PageTable pgd = null;
        if (g.top() == Level.PUD) {
            p4d = PgtableInternals.allocTable(pt, Level.P4D, 0);
            if (p4d == null) {
                return -Errno.ENOMEM.code();
            }
        }
        if (Long.compareUnsigned(end, S390Layout.REGION1_SIZE) > 0) {
            pgd = PgtableInternals.allocTable(pt, Level.PGD, 0);
            if (pgd == null) {
                if (p4d != null) {
                    pt.freeTable(p4d, "crst_table_free");
                }
                return -Errno.ENOMEM.code();
            }
        }
        Smp smp = mm.vm().smp();
        Cpu cpu = smp.current();
        EntryFormat fmt = pt.format();
        mm.pageTableLock().lock(cpu);
        try {
            if (p4d != null) {
                // p4d_populate(): the region-second table's entry 0 points at the old top.
                PgtableInternals.write(p4d, 0, fmt.mkTable(Level.P4D, pt.root().phys()), FN);
                switchTop(mm, pt, p4d, g.withTop(Level.P4D));
            }
            if (pgd != null) {
                PgtableInternals.write(pgd, 0, fmt.mkTable(Level.PGD, pt.root().phys()), FN);
                switchTop(mm, pt, pgd, pt.geometry().withTop(Level.PGD));
            }
        } finally {
            mm.pageTableLock().unlock(cpu);
        }
        onEachCpu(mm);
        return 0;
    }

    /**
     * {@code mm->pgd = new top; mm->context.asce_limit = ...; mm->context.asce = ...}: a store to
     * the mm that GUP-fast's {@code pgd_offset(mm, addr)} loads, announced on the mm.
     */
    private static void switchTop(Mm mm, PageTables pt, PageTable newTop, Geometry geometry) {
        mm.vm().mem().sched().point(mm, Access.WRITE, FN + "(mm->pgd)");
        PgtableInternals.replaceRoot(pt, newTop, geometry);
    }

    /**
     * Mirrors {@code on_each_cpu(__crst_table_upgrade, mm, 0)}: the handler runs on every other
     * CPU as an IPI the caller does not wait for, and locally with IRQs off.
     */
    private static void onEachCpu(Mm mm) {
        Smp smp = mm.vm().smp();
        smp.smpCallFunctionMany(smp.allCpusMask(), id -> crstTableUpgradeHandler(mm, smp.cpu(id)), false, FN);
        Cpu self = smp.current();
        boolean flags = self.localIrqSave();
        try {
            crstTableUpgradeHandler(mm, self);
        } finally {
            self.localIrqRestore(flags);
        }
    }

    /**
     * Mirrors arch/s390/mm/pgalloc.c {@code __crst_table_upgrade()}: a CPU running the mm loads
     * the new ASCE ({@code set_user_asce()}: the model's walks start from {@code mm->pgd}, so
     * there is nothing to load), then flushes its own TLB ({@code __tlb_flush_local()}) so that no
     * translation made through the old ASCE survives.
     */
    static void crstTableUpgradeHandler(Mm mm, Cpu cpu) {
        mm.vm().tlbs().of(cpu.id()).flushMm(mm.id(), "__crst_table_upgrade");
    }
}
