package org.gupsim.arch.s390;

import java.util.List;
import java.util.Set;
import org.gupsim.arch.AbstractArchitecture;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantOption;
import org.gupsim.arch.VariantSpec;
import org.gupsim.kernel.Kernel;
import org.gupsim.util.Args;

/**
 * s390 (64-bit z/Architecture), registered with {@link java.util.ServiceLoader}. Variants are
 * {@code default} and {@code fragments} ({@link S390BaseVariant}); there are no options.
 */
public final class S390 extends AbstractArchitecture<S390BaseVariant> {
    /** The name users type. */
    public static final String NAME = "s390";

    /** For {@link java.util.ServiceLoader}. */
    public S390() {
        // Alias: what uname -m prints (64-bit s390 is the only one the kernel still builds). Memory
        // model: z/Architecture lets a fetch pass an earlier store and nothing else, the TSO shape
        // (docs/memory-models.md, "s390 gets tso").
        super(NAME, List.of("s390x"),
                "s390: region/segment/page tables, a new mm has 3 levels and grows to 4 or 5 on demand, "
                        + "4K/1M/2G pages, IPTE/IDTE broadcast flush, tables freed through RCU",
                "tso", S390BaseVariant.values(), List.of());
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
        Args.notNull(kernel, "kernel");
        return kernel.get(S390Features.FULL_PAGE_PTE) ? S390BaseVariant.DEFAULT.label()
                : S390BaseVariant.FRAGMENTS.label();
    }

    /** The variant of a base name: s390 has no options ({@link VariantSpec#parse} refused any). */
    @Override
    protected ArchVariant variant(S390BaseVariant base, Set<VariantOption> options, String spec) {
        return new S390Variant(this, base);
    }
}
