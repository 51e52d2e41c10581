package org.gupsim.arch.x86;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantSpec;
import org.gupsim.arch.Architecture;
import org.gupsim.kernel.Kernel;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;

/**
 * One configured x86-64 variant, e.g. {@code native-rcu+la57}: a value. Two variants with the same
 * base and options are equal; each holds its own (stateless) flush backend and table-freeing
 * policy.
 */
public final class X86Variant implements ArchVariant {
    private final Architecture architecture;
    private final X86BaseVariant base;
    private final Set<X86Option> options;
    private final String name;
    private final FlushBackend flushBackend;
    private final TableFreePolicy tableFreePolicy;

    /**
     * @param architecture the x86-64 architecture that made this variant
     * @param base         shootdown and table freeing
     * @param options      CPU features such as LA57
     */
    public X86Variant(Architecture architecture, X86BaseVariant base, Set<X86Option> options) {
        Validate.isTrue(architecture != null, "architecture must not be null");
        Validate.isTrue(base != null, "base must not be null");
        Validate.isTrue(options != null, "options must not be null");
        this.architecture = architecture;
        this.base = base;
        for (X86Option o : options) {
            Validate.isTrue(o != null, "options must not contain null");
        }
        Validate.isTrue(base == X86BaseVariant.INVLPGB || !options.contains(X86Option.FEW_CPUS),
                "variant option 'few-cpus' needs the invlpgb base (other bases flush by IPI however many CPUs "
                        + "the mm runs on), was '%s'", base.label());
        // An EnumSet iterates in declaration order, the canonical order of the name; Set.copyOf's
        // iteration order may differ from one JVM run to the next.
        Set<X86Option> copy = EnumSet.noneOf(X86Option.class);
        copy.addAll(options);
        this.options = Collections.unmodifiableSet(copy);
        this.name = new VariantSpec(base.label(), this.options.stream().map(X86Option::label).toList()).name();
        this.flushBackend = this.options.contains(X86Option.FEW_CPUS) ? new X86FlushTlbMmRange(false)
                : base.newFlushBackend();
        this.tableFreePolicy = base.newTableFreePolicy();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    /** The canonical spec: base, then options in declaration order, e.g. {@code native+la57}. */
    @Override
    public String name() {
        return name;
    }

    public X86BaseVariant base() {
        return base;
    }

    /** Whether the CPU has LA57 and the kernel uses 5-level paging. */
    public boolean la57() {
        return options.contains(X86Option.LA57);
    }

    @Override
    public int pageShift() {
        return X86Layout.PAGE_SHIFT;
    }

    @Override
    public Geometry newMmGeometry() {
        return X86Layout.geometry(la57());
    }

    @Override
    public EntryFormat entryFormat() {
        return X86EntryFormat.INSTANCE;
    }

    @Override
    public int[] fragmentsPerPage() {
        return X86Layout.fragmentsPerPage();
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
        return X86Layout.taskSizeMax(la57());
    }

    @Override
    public long mmapBase() {
        return X86Layout.MMAP_BASE;
    }

    @Override
    public long[] hugePageSizes() {
        return X86Layout.hugePageSizes();
    }

    @Override
    public List<String> pageSizeNames() {
        return X86Layout.pageSizeNames();
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

    @Override
    public boolean equals(Object o) {
        return o instanceof X86Variant v && v.architecture.name().equals(architecture.name()) && v.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return fullName();
    }

    /** x86-64 selects {@code ARCH_SUPPORTS_PT_RECLAIM}: PT_RECLAIM from 6.14, before other architectures. */
    @Override
    public boolean archSupportsPtReclaim() {
        return true;
    }
}
