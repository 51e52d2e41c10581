package org.gupsim.arch;

import org.apache.commons.lang3.Validate;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;

/**
 * What every architecture module's variant class has in common, written once: the architecture
 * that made it, its canonical name (the base, then its options: {@code native-rcu+la57}), the
 * flush backend and table-freeing policy it holds for itself, and value semantics (two variants of
 * one architecture with the same name are equal). The subclass says what its page tables are and
 * how its kernel code differs from the generic one.
 */
public abstract class AbstractArchVariant implements ArchVariant {
    private final Architecture architecture;
    private final String name;
    private final FlushBackend flushBackend;
    private final TableFreePolicy tableFreePolicy;

    /**
     * @param architecture    the architecture that made this variant
     * @param name            the canonical spec after the colon ({@link VariantSpec#name()})
     * @param flushBackend    this variant's own TLB shootdown
     * @param tableFreePolicy this variant's own page-table freeing
     * @throws IllegalArgumentException naming a null argument
     */
    protected AbstractArchVariant(Architecture architecture, String name, FlushBackend flushBackend,
                                  TableFreePolicy tableFreePolicy) {
        Validate.isTrue(architecture != null, "architecture must not be null");
        Validate.isTrue(name != null, "name must not be null");
        Validate.isTrue(flushBackend != null, "flushBackend must not be null");
        Validate.isTrue(tableFreePolicy != null, "tableFreePolicy must not be null");
        this.architecture = architecture;
        this.name = name;
        this.flushBackend = flushBackend;
        this.tableFreePolicy = tableFreePolicy;
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
