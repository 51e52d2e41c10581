package org.gupsim.arch.s390;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantSpec;
import org.gupsim.kernel.Kernel;

/**
 * s390 (64-bit z/Architecture), registered with {@link java.util.ServiceLoader}. Variants are
 * {@code default} and {@code fragments} ({@link S390BaseVariant}); there are no options.
 */
public final class S390 implements Architecture {
    /** The name users type. */
    public static final String NAME = "s390";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "s390: region/segment/page tables, a new mm has 3 levels and grows to 4 or 5 on demand, "
                + "4K/1M/2G pages, IPTE/IDTE broadcast flush, tables freed through RCU";
    }

    /** {@code default}, {@code fragments}. */
    @Override
    public List<String> variants() {
        return S390BaseVariant.labels();
    }

    @Override
    public List<String> options() {
        return List.of();
    }

    /** s390 has no options: every name is refused. */
    @Override
    public String optionDescription(String option) {
        throw new IllegalArgumentException("option must be one of " + options() + " (s390 has no options), was '"
                + option + "'");
    }

    /**
     * {@code fragments} before 6.7, {@code default} from 6.7 on, when d08d4e7cd6bf gave every page
     * table a page of its own ({@link S390Features#FULL_PAGE_PTE}).
     */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return kernel.get(S390Features.FULL_PAGE_PTE) ? S390BaseVariant.DEFAULT.label()
                : S390BaseVariant.FRAGMENTS.label();
    }

    /**
     * Parses a variant name; null means the default.
     *
     * @throws IllegalArgumentException for an unknown or empty name, or any option, naming the
     *                                  allowed values
     */
    @Override
    public ArchVariant variant(String spec, Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        String s = spec == null ? defaultVariant(kernel) : spec;
        VariantSpec v = VariantSpec.parse(s, variants(), options());
        return new S390Variant(this, S390BaseVariant.byLabel(v.base()));
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** z/Architecture lets a fetch pass an earlier store and nothing else: the TSO shape (docs/memory-models.md, "s390 gets tso"). */
    @Override
    public String memoryModel() {
        return "tso";
    }
}
