package org.gupsim.arch;

import java.util.List;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.util.Args;

/**
 * What every architecture module's variant class has in common, written once: the architecture
 * that made it, its canonical name (the base, then its options: {@code native-rcu+la57}), the
 * flush backend and table-freeing policy it holds for itself, its {@link VariantLayout} (page size,
 * geometry, entry format, address-space limits, huge page sizes) and value semantics (two variants
 * of one architecture with the same name are equal). The subclass says how its kernel code differs
 * from the generic one.
 */
public abstract class AbstractArchVariant implements ArchVariant {
    private final Architecture architecture;
    private final String name;
    private final FlushBackend flushBackend;
    private final TableFreePolicy tableFreePolicy;
    private final VariantLayout layout;

    /**
     * @param architecture    the architecture that made this variant
     * @param name            the canonical spec after the colon ({@link VariantSpec#name()})
     * @param flushBackend    this variant's own TLB shootdown
     * @param tableFreePolicy this variant's own page-table freeing
     * @param layout          its page tables and address space
     * @throws IllegalArgumentException naming a null argument
     */
    protected AbstractArchVariant(Architecture architecture, String name, FlushBackend flushBackend,
                                  TableFreePolicy tableFreePolicy, VariantLayout layout) {
        this.architecture = Args.notNull(architecture, "architecture");
        this.name = Args.notNull(name, "name");
        this.flushBackend = Args.notNull(flushBackend, "flushBackend");
        this.tableFreePolicy = Args.notNull(tableFreePolicy, "tableFreePolicy");
        this.layout = Args.notNull(layout, "layout");
    }

    @Override
    public final Architecture architecture() {
        return architecture;
    }

    /** The canonical spec: base, then options in declaration order, e.g. {@code native+la57}. */
    @Override
    public final String name() {
        return name;
    }

    @Override
    public final FlushBackend flushBackend() {
        return flushBackend;
    }

    @Override
    public final TableFreePolicy tableFreePolicy() {
        return tableFreePolicy;
    }

    @Override
    public final int pageShift() {
        return layout.pageShift();
    }

    @Override
    public final Geometry newMmGeometry() {
        return layout.mmGeometry();
    }

    @Override
    public final EntryFormat entryFormat() {
        return layout.entryFormat();
    }

    @Override
    public final int[] fragmentsPerPage() {
        return layout.fragmentsPerPage();
    }

    @Override
    public final long taskSizeMax() {
        return layout.taskSizeMax();
    }

    @Override
    public final long mmapBase() {
        return layout.mmapBase();
    }

    @Override
    public final long[] hugePageSizes() {
        return layout.hugePageSizes();
    }

    @Override
    public final List<String> pageSizeNames() {
        return layout.pageSizeNames();
    }

    /** Equal to a variant of the same class and architecture with the same name. */
    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && ((AbstractArchVariant) o).architecture.name().equals(architecture.name())
                && ((AbstractArchVariant) o).name.equals(name);
    }

    @Override
    public final int hashCode() {
        return fullName().hashCode();
    }

    @Override
    public String toString() {
        return fullName();
    }
}
