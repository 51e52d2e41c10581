package org.gupsim.arch.arm64;

import java.util.Optional;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantLayout;
import org.gupsim.arch.VariantOption;
import org.gupsim.kernel.Kernel;
import org.gupsim.memmodel.Order;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.vm.HugetlbLeaves;

/**
 * One configured arm64 variant, e.g. {@code 16k-52+lpa2}: a value. Every variant invalidates TLBs
 * with broadcast {@code tlbi ...is} instructions (no IPI, other CPUs' IRQ state irrelevant) and
 * frees page tables through MMU_GATHER_RCU_TABLE_FREE, which arm64 always selects.
 */
public final class Arm64Variant extends AbstractArchVariant {
    /**
     * The CPU implements FEAT_LPA2: 52-bit output addresses with 4K and 16K granules, and the
     * kernel keeps the extra translation level it was built with instead of folding it at run time.
     * Only kernels that use the feature take the option: 52-bit builds from 6.9, every 4K and 16K
     * build from 6.14 ({@link #unavailableOn}).
     */
    public static final VariantOption LPA2 = new VariantOption("lpa2", "the CPU implements FEAT_LPA2 (4K and 16K "
            + "granules): the kernel keeps the extra translation level it was built with instead of folding it at "
            + "run time");

    private final Arm64BaseVariant base;
    private final boolean lpa2;
    private final Arm64EntryFormat format;

    /**
     * @param architecture the arm64 architecture that made this variant
     * @param base         granule and VA size
     * @param lpa2         whether the CPU has FEAT_LPA2 (4K and 16K granules only)
     */
    public Arm64Variant(Architecture architecture, Arm64BaseVariant base, boolean lpa2) {
        super(architecture, name(base, lpa2), new BroadcastFlush(), new RcuTableFree(true), layout(base, lpa2));
        this.base = base;
        this.lpa2 = lpa2;
        this.format = Arm64EntryFormat.of(base.pageShift(), lpa2);
    }

    /** The granule's page size and leaves; the address space as {@code vabits_actual} allows. */
    private static VariantLayout layout(Arm64BaseVariant base, boolean lpa2) {
        int vaBitsActual = base.vaBitsActual(lpa2);
        return new VariantLayout(base.pageShift(), Arm64Layout.geometry(base.pageShift(), base.vaBits(), vaBitsActual),
                Arm64EntryFormat.of(base.pageShift(), lpa2), Arm64Layout.fragmentsPerPage(),
                Arm64Layout.taskSize(vaBitsActual), Arm64Layout.mmapBase(vaBitsActual),
                Arm64Layout.hugePageSizes(base.pageShift()), Arm64Layout.pageSizeNames(base.pageShift()));
    }

    /** The canonical spec, e.g. {@code 4k-52+lpa2}; checks the arguments first. */
    private static String name(Arm64BaseVariant base, boolean lpa2) {
        Validate.isTrue(base != null, "base must not be null");
        Validate.isTrue(!lpa2 || base.lpa2Applies(),
                "lpa2 applies to 4K and 16K granules only, not '%s'", base.label());
        return VariantOption.variantName(base.label(), lpa2 ? Set.of(LPA2) : Set.of());
    }

    public Arm64BaseVariant base() {
        return base;
    }

    /** Whether the CPU has FEAT_LPA2. */
    public boolean lpa2() {
        return lpa2;
    }

    /** {@code vabits_actual}. */
    public int vaBitsActual() {
        return base.vaBitsActual(lpa2);
    }

    /**
     * Mirrors arch/arm64/mm/hugetlbpage.c {@code num_contig_ptes()}: a PUD block (4K granule), a
     * PMD block, {@code CONT_PMDS} PMD blocks, or {@code CONT_PTES} pages. Sizes are taken from
     * {@code g}, so a level folded at run time is never chosen.
     */
    @Override
    public HugetlbLeaves hugetlbLeaves(Geometry g, int shift) {
        int pmdShift = g.shift(Level.PMD);
        if (g.leafAllowed(Level.PUD) && !g.folded(Level.PUD) && shift == g.shift(Level.PUD)) {
            return new HugetlbLeaves(Level.PUD, 1);
        }
        if (shift == pmdShift && !g.folded(Level.PMD)) {
            return new HugetlbLeaves(Level.PMD, 1);
        }
        int cpmds = Arm64Layout.contPmds(pageShift());
        if (shift == pmdShift + Integer.numberOfTrailingZeros(cpmds) && !g.folded(Level.PMD)) {
            return new HugetlbLeaves(Level.PMD, cpmds);
        }
        int cptes = Arm64Layout.contPtes(pageShift());
        if (shift == pageShift() + Integer.numberOfTrailingZeros(cptes)) {
            return new HugetlbLeaves(Level.PTE, cptes);
        }
        return null;
    }

    /**
     * Mirrors arch/arm64/mm/hugetlbpage.c {@code arch_make_huge_pte()}: each entry of a
     * contiguous-PTE or contiguous-PMD page gets {@code PTE_CONT}; single blocks and pages are left
     * as they are (the block type is already set by {@code mkLeaf}).
     */
    @Override
    public long archMakeHugePte(Level level, long entry, int shift) {
        long size = 1L << shift;
        if ((level == Level.PTE && size == Arm64Layout.contPteSize(pageShift()))
                || (level == Level.PMD && size == Arm64Layout.contPmdSize(pageShift()))) {
            return format.mkCont(level, entry);
        }
        return entry;
    }

    /**
     * Whether {@code g} lacks a level this build has: a 52-bit 4K or 16K build on a CPU without
     * LPA2, where {@code pgtable_l5_enabled()} (4K) or {@code pgtable_l4_enabled()} (16K) is false.
     */
    private boolean foldsAtRunTime(Geometry g) {
        return g.levels() < Arm64Layout.levels(base.pageShift(), base.vaBits());
    }

    /**
     * Mirrors arch/arm64/include/asm/pgtable.h {@code p4d_offset()} of a 5-level build and
     * {@code pud_offset()} of a 4-level one: for a level folded at run time they go through
     * {@code pgd_to_folded_p4d()} / {@code p4d_to_folded_pud()}, which align the pointer down to
     * its page and add {@code p4d_index(addr)} / {@code pud_index(addr)}: right for a pointer into
     * the top table, a stray read for the walker's stack copy. Levels folded at compile time are
     * the generic ones (asm-generic/pgtable-nop4d.h, -nopud.h), which return the pointer.
     */
    @Override
    public FoldedOffset foldedOffset(Geometry g) {
        return foldsAtRunTime(g) ? FoldedOffset.ALIGN_DOWN_AND_INDEX : FoldedOffset.PASSED_POINTER;
    }

    /**
     * Mirrors arm64's {@code p4d_offset_lockless()} over time. Run-time folding came with LPA2 in
     * 6.9 (0dd4f60a2c76 "Add support for folding PUDs at runtime"): a 5-level build (4k-52)
     * defines {@code p4d_offset_lockless()} from the real pgd pointer, but a build of 4 levels or
     * fewer kept the generic one, which hands on the address of the stack copy; with the PUD
     * folded at run time (16k-52 without LPA2) {@code pud_offset_lockless()} then aligned that
     * copy down: a stray stack read at any address. 36639013b346 ("Fix lockless walks with static
     * and dynamic page-table folding", in v6.11-rc1; 6.10.3 in stable, none for 6.9) gave those
     * builds {@code p4d_offset_lockless_folded()}, {@code p4d_offset()} of the real pointer. So
     * the label 6.10 (v6.10 as released) has the bug and 6.15 and later do not. Compile-time
     * folding with the stack copy, before the fix, was harmless: the generic offset returns it and
     * the level below offsets from the value.
     */
    @Override
    public FoldedOffset foldedOffsetLockless(Geometry g, Kernel kernel) {
        if (kernel.get(Arm64Features.P4D_OFFSET_LOCKLESS_FOLDED) || Arm64Layout.levels(base.pageShift(), base.vaBits()) == 5) {
            return FoldedOffset.REAL_TABLE;
        }
        return foldedOffset(g);
    }

    /**
     * The kernels this variant exists on. 52-bit virtual addresses with 4K and 16K pages, and with
     * them the kernel's use of FEAT_LPA2, came in 6.9 (352b0395b505 "Enable 52-bit virtual
     * addressing for 4k and 16k granule configs"; before, {@code ARM64_VA_BITS_52} depended on
     * 64K pages). Until 6.14 {@code ARM64_LPA2} depended on {@code ARM64_PA_BITS_52}, which a 4K or
     * 16K build could only select with {@code ARM64_VA_BITS_52}; "Drop configurable 48-bit
     * physical address space limit" (32d053d6f5e9, 6.14) made it unconditional for 4K and 16K. A
     * CPU with LPA2 under a kernel that does not use it is the variant without {@code +lpa2}.
     */
    @Override
    public Optional<String> unavailableOn(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        String granule = (1 << (base.pageShift() - 10)) + "K";
        if (base.vaBits() == 52 && base.lpa2Applies() && !kernel.get(Arm64Features.VA52_SMALL_GRANULES)) {
            return Optional.of("52-bit virtual addresses with " + granule + " pages came with LPA2 support in 6.9 "
                    + "(352b0395b505); before, ARM64_VA_BITS_52 needed 64K pages");
        }
        if (lpa2 && !kernel.get(Arm64Features.VA52_SMALL_GRANULES)) {
            return Optional.of("the kernel uses FEAT_LPA2 from 6.9 (352b0395b505) on; drop +lpa2");
        }
        if (lpa2 && base.vaBits() < 52 && !kernel.get(Arm64Features.LPA2_EVERY_BUILD)) {
            return Optional.of("before 6.14 ARM64_LPA2 needed ARM64_PA_BITS_52, which a " + base.vaBits() + "-bit "
                    + granule + " build cannot select, so the kernel does not use FEAT_LPA2 (32d053d6f5e9 made it "
                    + "unconditional); drop +lpa2");
        }
        return Optional.empty();
    }

    /**
     * arm64's {@code __ptep_get_and_clear()} is {@code xchg_relaxed(&pte_val(*ptep), 0)}
     * (arch/arm64/include/asm/pgtable.h): {@code swp} with LSE, orders nothing.
     */
    @Override
    public Order ptepGetAndClearOrder() {
        return Order.RELAXED;
    }
}
