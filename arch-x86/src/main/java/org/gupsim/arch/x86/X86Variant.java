package org.gupsim.arch.x86;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchVariant;
import org.gupsim.arch.VariantLayout;
import org.gupsim.arch.VariantOption;
import org.gupsim.arch.Architecture;
import org.gupsim.kernel.Kernel;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;

/**
 * One configured x86-64 variant, e.g. {@code native-rcu+la57}: a value. Two variants with the same
 * base and options are equal; each holds its own (stateless) flush backend and table-freeing
 * policy.
 */
public final class X86Variant extends AbstractArchVariant {
    /** The CPU has LA57, so the kernel uses 5-level paging (56-bit user addresses). */
    public static final VariantOption LA57 = new VariantOption("la57", "the CPU has LA57: 5-level page tables and "
            + "56-bit user addresses (mmap stays below 47 bits unless hinted higher); without it the P4D level is folded");
    /**
     * {@code invlpgb} only: the mm is active on three CPUs or fewer, so
     * {@code consider_global_asid()} gives it no global ASID and {@code flush_tlb_mm_range()} falls
     * back to IPIs (arch/x86/mm/tlb.c, {@code mm_active_cpus_exceeds(mm, 3)}).
     */
    public static final VariantOption FEW_CPUS = new VariantOption("few-cpus", "invlpgb only: the mm runs on 3 CPUs "
            + "or fewer, so it gets no global ASID and is flushed by IPIs, not INVLPGB (consider_global_asid(), 6.15+)");
    /** The options that follow a base with {@code +}, in canonical order. */
    public static final List<VariantOption> OPTIONS = List.of(LA57, FEW_CPUS);

    private final X86BaseVariant base;
    private final Set<VariantOption> options;

    /**
     * @param architecture the x86-64 architecture that made this variant
     * @param base         shootdown and table freeing
     * @param options      CPU features such as {@link #LA57}, of {@link #OPTIONS}
     * @throws IllegalArgumentException for a null base or option, an option of another architecture, or
     *                                  {@link #FEW_CPUS} on a base other than {@code invlpgb}
     */
    public X86Variant(Architecture architecture, X86BaseVariant base, Set<VariantOption> options) {
        super(architecture, name(base, options),
                options.contains(FEW_CPUS) ? new X86FlushTlbMmRange(false) : base.newFlushBackend(),
                base.newTableFreePolicy(), layout(options.contains(LA57)));
        this.base = base;
        this.options = VariantOption.inOrder(OPTIONS, options);
    }

    /** The canonical name, base then options in declaration order; checks the arguments first. */
    private static String name(X86BaseVariant base, Set<VariantOption> options) {
        Validate.isTrue(base != null, "base must not be null");
        Set<VariantOption> canonical = VariantOption.inOrder(OPTIONS, options);
        Validate.isTrue(base == X86BaseVariant.INVLPGB || !canonical.contains(FEW_CPUS),
                "variant option 'few-cpus' needs the invlpgb base (other bases flush by IPI however many CPUs "
                        + "the mm runs on), was '%s'", base.label());
        return VariantOption.variantName(base.label(), canonical);
    }

    /** Every base: 4K pages, 2M and 1G leaves; LA57 adds the P4D level and 56-bit user addresses. */
    private static VariantLayout layout(boolean la57) {
        return new VariantLayout(X86Layout.PAGE_SHIFT, X86Layout.geometry(la57), X86EntryFormat.INSTANCE,
                X86Layout.fragmentsPerPage(), X86Layout.taskSizeMax(la57), X86Layout.MMAP_BASE,
                X86Layout.hugePageSizes(), X86Layout.pageSizeNames());
    }

    public X86BaseVariant base() {
        return base;
    }

    /** Whether the CPU has LA57 and the kernel uses 5-level paging. */
    public boolean la57() {
        return options.contains(LA57);
    }

    /**
     * Mirrors arch/x86/include/asm/pgtable.h {@code p4d_offset()}: without LA57 it returns the
     * pgd pointer it is handed. x86 defines no {@code p4d_offset_lockless()}, so GUP-fast hands it
     * the stack copy (the generic definition) on every kernel; the walk stays right because
     * {@code PGDIR_SIZE} is the run-time value, the P4D's span, and the folded loop runs once.
     */
    @Override
    public FoldedOffset foldedOffset(Geometry g) {
        return FoldedOffset.PASSED_POINTER;
    }

    /**
     * The kernels this variant exists on, from the kernel's features ({@link X86BaseVariant}):
     * {@code native} before a37259732a7d (6.15), {@code native-rcu} and {@code invlpgb} from then
     * on, {@code paravirt} on every kernel. LA57 is older than every kernel modelled.
     */
    @Override
    public Optional<String> unavailableOn(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return base.unavailableOn(kernel);
    }

    /** x86-64 selects {@code ARCH_SUPPORTS_PT_RECLAIM}: PT_RECLAIM from 6.14, before other architectures. */
    @Override
    public boolean archSupportsPtReclaim() {
        return true;
    }
}
