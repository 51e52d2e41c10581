package org.gupsim.pgtable.internal;

import java.util.function.LongUnaryOperator;
import org.gupsim.memmodel.Order;
import org.gupsim.mm.internal.InstalledAccess;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;

/**
 * Not API: may change in any release. The stores into page tables that the kernel makes in mm/
 * and arch/: {@code set_pte_at()}, {@code ptep_get_and_clear()}, the entry bit operations, the
 * deposit of PTE tables under huge PMDs, the allocation of a table and s390's upgrade of the top
 * level. The model's vm, gup and architecture code call them here; {@link PageTable} and
 * {@link PageTables} keep them package-private, each with the Javadoc of the kernel function it
 * mirrors.
 *
 * <p>How: the accessor pattern of the JDK's {@code SharedSecrets}. {@link PageTables}' class
 * initialiser hands this class an {@link Access} once; if nothing has loaded that class yet,
 * the first call here does.
 */
public final class PgtableInternals {

    /** What {@code org.gupsim.pgtable} hands over; implemented there, once. Not API. */
    public interface Access {
        void write(PageTable table, int index, long value, String function);

        long getAndClear(PageTable table, int index, Order order, String function);

        long getAndUpdate(PageTable table, int index, LongUnaryOperator update, String function);

        void depositHugePte(PageTable pmdTable, PageTable pgtable);

        PageTable withdrawHugePte(PageTable pmdTable);

        PageTable allocTable(PageTables tables, Level level, long vaddrBase);

        void replaceRoot(PageTables tables, PageTable newRoot, Geometry newGeometry);

        void setOwnerId(PageTables tables, int id);
    }

    /** Where the package's {@link Access} is: its API class installs it, once, when it is loaded. */
    public static final InstalledAccess<Access> ACCESS = new InstalledAccess<>("org.gupsim.pgtable", PageTables.class);

    private PgtableInternals() {
    }

    /** Mirrors {@code set_pte_at()} / {@code WRITE_ONCE(*pXdp, v)} / {@code pXd_clear()}: a scheduling point. */
    public static void write(PageTable table, int index, long value, String function) {
        ACCESS.get().write(table, index, value, function);
    }

    /** An exchange with 0 that is fully ordered, or whose caller flushes right after it ({@code pmdp_collapse_flush()}). */
    public static long getAndClear(PageTable table, int index, String function) {
        return ACCESS.get().getAndClear(table, index, Order.FULL, function);
    }

    /** Mirrors {@code ptep_get_and_clear()} with the architecture's ordering ({@code VmArch.ptepGetAndClearOrder()}). */
    public static long getAndClear(PageTable table, int index, Order order, String function) {
        return ACCESS.get().getAndClear(table, index, order, function);
    }

    /** An atomic read-modify-write of one entry ({@code ptep_set_wrprotect()}'s {@code clear_bit()}); returns the old value. */
    public static long getAndUpdate(PageTable table, int index, LongUnaryOperator update, String function) {
        return ACCESS.get().getAndUpdate(table, index, update, function);
    }

    /** Mirrors {@code pgtable_trans_huge_deposit()}: the caller holds {@code pmdTable}'s lock. */
    public static void depositHugePte(PageTable pmdTable, PageTable pgtable) {
        ACCESS.get().depositHugePte(pmdTable, pgtable);
    }

    /** Mirrors {@code pgtable_trans_huge_withdraw()}: a deposited table, or null if none is. */
    public static PageTable withdrawHugePte(PageTable pmdTable) {
        return ACCESS.get().withdrawHugePte(pmdTable);
    }

    /** Mirrors {@code pte_alloc_one()} / {@code pmd_alloc_one()} / ...: a zeroed table, or null when out of memory. */
    public static PageTable allocTable(PageTables tables, Level level, long vaddrBase) {
        return ACCESS.get().allocTable(tables, level, vaddrBase);
    }

    /** s390's {@code crst_table_upgrade()}: the new top, which already points to the old one, becomes the root. */
    public static void replaceRoot(PageTables tables, PageTable newRoot, Geometry newGeometry) {
        ACCESS.get().replaceRoot(tables, newRoot, newGeometry);
    }

    /** Ties the tables to the id of the mm that owns them, for checkers; set once when the mm is made. */
    public static void setOwnerId(PageTables tables, int id) {
        ACCESS.get().setOwnerId(tables, id);
    }
}
