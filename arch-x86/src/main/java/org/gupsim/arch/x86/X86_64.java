package org.gupsim.arch.x86;

import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchitecture;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantOption;
import org.gupsim.kernel.Kernel;

/**
 * x86-64, registered with {@link java.util.ServiceLoader}. Variants are a base from
 * {@link X86BaseVariant} followed by options ({@link X86Variant#OPTIONS}), e.g. {@code native-rcu+la57}.
 */
public final class X86_64 extends AbstractArchitecture<X86BaseVariant> {
    /** The name users type. */
    public static final String NAME = "x86_64";

    /** For {@link java.util.ServiceLoader}. */
    public X86_64() {
        // Aliases: the kernel's arch/x86, the spelling with a dash, and Debian's. Memory model:
        // x86-TSO (Owens, Sarkar, Sewell 2009; herd7 x86tso.cat).
        super(NAME, List.of("x86", "x86-64", "amd64"),
                "x86-64: 4-level or LA57 5-level tables, 4K/2M/1G pages, IPI shootdown; "
                        + "tables freed after the flush before 6.15, through RCU since",
                "tso", X86BaseVariant.values(), X86Variant.OPTIONS);
    }

    /**
     * {@code native} and {@code invlpgb}, beside the default ({@code native-rcu} on current kernels),
     * where the compared kernels have them ({@code native} before 6.15, {@code invlpgb} from 6.15):
     * {@code native} is x86 before 6.15 (an IPI flush, tables freed right after it, so GUP-fast is
     * safe by strategy A alone) and {@code invlpgb} the AMD broadcast flush that sends no IPI (safe
     * by RCU table freeing alone). With the default's IPI flush plus RCU freeing, the three show
     * each of the two protections with and without the other.
     */
    @Override
    public List<String> defaultComparisonVariants() {
        return List.of(X86BaseVariant.NATIVE.label(), X86BaseVariant.INVLPGB.label());
    }

    /**
     * {@code native} before 6.15, {@code native-rcu} from 6.15 on, when commit a37259732a7d made
     * x86 free page tables through RCU unconditionally ({@link X86Features#RCU_TABLE_FREE}).
     */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return kernel.get(X86Features.RCU_TABLE_FREE) ? X86BaseVariant.NATIVE_RCU.label() : X86BaseVariant.NATIVE.label();
    }

    /**
     * The variant says on which kernels it exists ({@link X86Variant#unavailableOn}); pairing it
     * with another is refused where it is checked (booting a machine,
     * {@link org.gupsim.arch.ArchRegistry#parse}). To ask what a kernel would do with another
     * table-freeing scheme, patch the kernel (e.g. {@code immediate-table-free}).
     *
     * @throws IllegalArgumentException for {@code few-cpus} on a base other than {@code invlpgb}
     */
    @Override
    protected ArchVariant variant(X86BaseVariant base, Set<VariantOption> options, String spec) {
        return new X86Variant(this, base, options);
    }
}
