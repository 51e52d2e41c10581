package org.gupsim.arch.s390;

import java.util.Optional;
import org.gupsim.arch.AbstractArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantLayout;
import org.gupsim.kernel.Kernel;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.util.Args;
import org.gupsim.vm.Mm;

/**
 * One configured s390 variant: a value. TLBs are invalidated by IPTE / IDTE, which the hardware
 * broadcasts to every CPU without interrupting it, so GUP-fast's IRQ-off walk holds nothing up;
 * page tables are therefore freed through MMU_GATHER_RCU_TABLE_FREE, after a grace period that
 * the walk does hold open ({@code tlb_needs_table_invalidate()} is true: the hardware walks the
 * Linux tables).
 */
public final class S390Variant extends AbstractArchVariant {
    private final S390BaseVariant base;

    /**
     * @param architecture the s390 architecture that made this variant
     * @param base         how page tables are packed
     */
    public S390Variant(Architecture architecture, S390BaseVariant base) {
        super(architecture, label(base), new S390TlbFlush(), new RcuTableFree(true), layout(base));
        this.base = base;
    }

    /**
     * A new mm has a region-third table on top: 3 levels, 4 TB ({@code init_new_context()});
     * {@code fragments} packs two page tables into a page.
     */
    private static VariantLayout layout(S390BaseVariant base) {
        return new VariantLayout(S390Layout.PAGE_SHIFT, S390Layout.THREE_LEVEL, S390EntryFormat.INSTANCE,
                S390Layout.fragmentsPerPage(base.fragments()), S390Layout.TASK_SIZE_MAX, S390Layout.MMAP_BASE,
                S390Layout.hugePageSizes(), S390Layout.pageSizeNames());
    }

    /** The name: the base's label (s390 has no options); checks the argument first. */
    private static String label(S390BaseVariant base) {
        Args.notNull(base, "base");
        return base.label();
    }

    public S390BaseVariant base() {
        return base;
    }

    /**
     * The kernels this variant exists on, from {@link S390Features#FULL_PAGE_PTE}: {@code fragments}
     * before d08d4e7cd6bf (6.7), {@code default} from then on.
     */
    @Override
    public Optional<String> unavailableOn(Kernel kernel) {
        Args.notNull(kernel, "kernel");
        boolean fullPage = kernel.get(S390Features.FULL_PAGE_PTE);
        if (base.fragments() && fullPage) {
            return Optional.of("since d08d4e7cd6bf (6.7) every 2K page table has a 4K page of its own (default)");
        }
        if (!base.fragments() && !fullPage) {
            return Optional.of("before d08d4e7cd6bf (6.7) page_table_alloc() packed two 2K page tables into one 4K "
                    + "page (fragments)");
        }
        return Optional.empty();
    }

    /**
     * Mirrors arch/s390/mm/mmap.c {@code check_asce_limit()}: a mapping ending above the mm's
     * current reach ({@code mm->context.asce_limit}) but within {@code TASK_SIZE} makes
     * {@code crst_table_upgrade()} add levels on top.
     */
    @Override
    public int archEnsureAddressLimit(Mm mm, long end) {
        return S390Pgalloc.checkAsceLimit(mm, end);
    }

    /**
     * Mirrors arch/s390/include/asm/pgtable.h {@code p4d_offset()} / {@code pud_offset()}: for a
     * level the mm has folded (its region table type is below that level) they return the
     * pointer they are handed, which the walk before d3f7b1bb2040 made the address of its stack
     * copy; the loops above it kept the 5-level {@code PGDIR_SIZE} and {@code P4D_SIZE}.
     */
    @Override
    public FoldedOffset foldedOffset(Geometry g) {
        return FoldedOffset.PASSED_POINTER;
    }

    /**
     * Mirrors arch/s390/include/asm/pgtable.h {@code p4d_offset_lockless()} and friends (d3f7b1bb2040,
     * 5.10, older than every kernel the model knows): a folded level returns the real pointer
     * it is handed, so the walk reads the region table the mm really has.
     */
    @Override
    public FoldedOffset foldedOffsetLockless(Geometry g, Kernel kernel) {
        return FoldedOffset.REAL_TABLE;
    }
}
