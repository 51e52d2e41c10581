package org.gupsim.arch.arm64;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantSpec;
import org.gupsim.arch.Architecture;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.vm.HugetlbLeaves;

/**
 * One configured arm64 variant, e.g. {@code 16k-52+lpa2}: a value. Every variant invalidates TLBs
 * with broadcast {@code tlbi ...is} instructions (no IPI, other CPUs' IRQ state irrelevant) and
 * frees page tables through MMU_GATHER_RCU_TABLE_FREE, which arm64 always selects.
 */
public final class Arm64Variant implements ArchVariant {
    private final Architecture architecture;
    private final Arm64BaseVariant base;
    private final boolean lpa2;
    private final String name;
    private final Geometry geometry;
    private final Arm64EntryFormat format;
    private final FlushBackend flushBackend = new BroadcastFlush();
    private final TableFreePolicy tableFreePolicy = new RcuTableFree(true);

    /**
     * @param architecture the arm64 architecture that made this variant
     * @param base         granule and VA size
     * @param lpa2         whether the CPU has FEAT_LPA2 (4K and 16K granules only)
     */
    public Arm64Variant(Architecture architecture, Arm64BaseVariant base, boolean lpa2) {
        Validate.isTrue(architecture != null, "architecture must not be null");
        Validate.isTrue(base != null, "base must not be null");
        Validate.isTrue(!lpa2 || base.lpa2Applies(),
                "lpa2 applies to 4K and 16K granules only, not '%s'", base.label());
        this.architecture = architecture;
        this.base = base;
        this.lpa2 = lpa2;
        this.name = new VariantSpec(base.label(), lpa2 ? List.of(Arm64Option.LPA2.label()) : List.of()).name();
        this.geometry = Arm64Layout.geometry(base.pageShift(), base.vaBits(), base.vaBitsActual(lpa2));
        this.format = Arm64EntryFormat.of(base.pageShift(), lpa2);
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    /** The canonical spec, e.g. {@code 4k-52+lpa2}. */
    @Override
    public String name() {
        return name;
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

    @Override
    public int pageShift() {
        return base.pageShift();
    }

    @Override
    public Geometry newMmGeometry() {
        return geometry;
    }

    @Override
    public EntryFormat entryFormat() {
        return format;
    }

    @Override
    public int[] fragmentsPerPage() {
        return Arm64Layout.fragmentsPerPage();
    }

    @Override
    public FlushBackend flushBackend() {
        return flushBackend;
    }

    @Override
    public TableFreePolicy tableFreePolicy() {
        return tableFreePolicy;
    }

    @Override
    public long taskSizeMax() {
        return Arm64Layout.taskSize(vaBitsActual());
    }

    @Override
    public long mmapBase() {
        return Arm64Layout.mmapBase(vaBitsActual());
    }

    @Override
    public long[] hugePageSizes() {
        return Arm64Layout.hugePageSizes(base.pageShift());
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

    @Override
    public List<String> pageSizeNames() {
        return Arm64Layout.pageSizeNames(base.pageShift());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Arm64Variant v && v.architecture.name().equals(architecture.name()) && v.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return fullName();
    }
}
