package org.gupsim.vm;

import org.gupsim.memmodel.Order;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;

/**
 * What the memory manager needs from an architecture variant: page-table shape and format, how
 * TLBs are shot down and tables freed, and the user address-space layout. The architecture SPI
 * (the arch package's ArchVariant) extends this; nothing here names an architecture.
 */
public interface VmArch {

    /** log2 of the base page size ({@code PAGE_SHIFT}). */
    int pageShift();

    /** The geometry a new mm starts with (s390 starts with 3 levels and may grow). */
    Geometry newMmGeometry();

    EntryFormat entryFormat();

    /** Per level (PGD..PTE), how many tables share one page-table page (1 almost everywhere). */
    int[] fragmentsPerPage();

    FlushBackend flushBackend();

    TableFreePolicy tableFreePolicy();

    /** {@code TASK_SIZE_MAX}: one past the highest user address. */
    long taskSizeMax();

    /** Where top-down mmap starts looking ({@code mm->mmap_base} without randomisation). */
    long mmapBase();

    /**
     * Huge page sizes (bytes) hugetlbfs may use, the default ({@code HPAGE_SIZE}) first; each is
     * mapped as {@link #hugetlbLeaves} says. THP uses the PMD size only.
     */
    long[] hugePageSizes();

    /**
     * The largest folio order the machine's allocator must serve: that of the largest of the
     * {@link #hugePageSizes} and of a PMD-sized THP, in base pages (s390's 2G region-third page
     * of 4K pages: 19). The kernel allocates pages above {@code MAX_PAGE_ORDER} from a
     * contiguous range ({@code alloc_contig_pages()}, for gigantic hugetlb pages); the model's
     * one allocator serves every order up to this.
     */
    default int maxPageOrder() {
        int max = newMmGeometry().shift(Level.PMD) - pageShift();
        for (long size : hugePageSizes()) {
            max = Math.max(max, Long.numberOfTrailingZeros(size) - pageShift());
        }
        return max;
    }

    /**
     * How a hugetlb page of {@code 1 << shift} bytes is mapped in tables of geometry {@code g}, or
     * null if no level can map it. The default is one leaf at the level whose entries map exactly
     * that size; an architecture with contiguous groups (arm64's {@code num_contig_ptes()}) says
     * how many entries of which level make one page.
     */
    default HugetlbLeaves hugetlbLeaves(Geometry g, int shift) {
        for (Level l : Level.values()) {
            if (l != Level.PTE && !g.folded(l) && g.leafAllowed(l) && g.shift(l) == shift) {
                return new HugetlbLeaves(l, 1);
            }
        }
        return shift == g.pageShift() ? new HugetlbLeaves(Level.PTE, 1) : null;
    }

    /**
     * Mirrors {@code arch_make_huge_pte()}: the architecture's last touch to one leaf of a hugetlb
     * page of {@code 1 << shift} bytes before it is set (arm64 sets the contiguous bit in each
     * entry of a group). The default changes nothing.
     */
    default long archMakeHugePte(Level level, long entry, int shift) {
        return entry;
    }

    /**
     * Called with the mmap lock held for write before a mapping ending at {@code end} is created.
     * s390 grows the page-table hierarchy here ({@code crst_table_upgrade()}); others need nothing.
     *
     * @return 0, or a negative errno if the address space cannot reach {@code end}
     */
    default int archEnsureAddressLimit(Mm mm, long end) {
        return end <= mm.pageTables().geometry().addressLimit() ? 0 : -org.gupsim.mm.Errno.ENOMEM.code();
    }
    /**
     * Whether the architecture's {@code pmdp_collapse_flush()} IPIs the mm's CPUs and waits after
     * clearing the PMD, before it flushes (powerpc's {@code serialize_against_pte_lookup()}): a
     * collapse then waits for GUP-fast walkers, whatever the TLB flush is. The generic one
     * (mm/pgtable-generic.c) only flushes.
     */
    default boolean pmdpCollapseFlushSerializes() {
        return false;
    }

    /**
     * Mirrors {@code pgtable_trans_huge_deposit()}: keeps the unlinked PTE table {@code pgtable}
     * for the huge leaf about to be set in {@code pmdTable}. The generic one lists it in the PMD
     * table's page and leaves its contents alone; an architecture may store its own data in it
     * (powerpc radix links the tables through their first two words). Called with
     * {@code pmdTable}'s lock held.
     */
    default void pgtableTransHugeDeposit(PageTable pmdTable, PageTable pgtable) {
        PgtableInternals.depositHugePte(pmdTable, pgtable);
    }

    /** Mirrors {@code pgtable_trans_huge_withdraw()}: a table deposited in {@code pmdTable}, or null. */
    default PageTable pgtableTransHugeWithdraw(PageTable pmdTable) {
        return PgtableInternals.withdrawHugePte(pmdTable);
    }

    /**
     * Whether the architecture opted in to CONFIG_PT_RECLAIM when only those that selected
     * {@code ARCH_SUPPORTS_PT_RECLAIM} had it (x86-64, from 6.14).
     */
    default boolean archSupportsPtReclaim() {
        return false;
    }

    /**
     * Whether the architecture has its own {@code __tlb_remove_table()}
     * ({@code HAVE_ARCH_TLB_REMOVE_TABLE}: powerpc, sparc64), whose page tables are not all
     * {@code struct ptdesc}: PT_RECLAIM is never built there.
     */
    default boolean haveArchTlbRemoveTable() {
        return false;
    }

    /**
     * The ordering of the architecture's {@code ptep_get_and_clear()} (and the PTE clears built on
     * it), as its implementation has it: what a memory model weaker than sequential consistency
     * lets later loads do around the PTE clear of an unmapper. The default is fully ordered (x86's
     * {@code xchg} with a memory operand is implicitly locked); arm64's {@code xchg_relaxed()} and
     * powerpc radix's bare {@code ldarx/stdcx.} loop are {@link Order#RELAXED}
     * (docs/kernel/pte-primitives-ordering.md).
     */
    default Order ptepGetAndClearOrder() {
        return Order.FULL;
    }
}
