package org.gupsim.arch.arm64;

import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchitecture;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantOption;
import org.gupsim.kernel.Kernel;

/**
 * arm64, registered with {@link java.util.ServiceLoader}. Variants are a granule and VA size
 * from {@link Arm64BaseVariant}, optionally followed by {@code +lpa2} ({@link Arm64Variant#LPA2}), e.g.
 * {@code 16k-52+lpa2}.
 */
public final class Arm64 extends AbstractArchitecture<Arm64BaseVariant> {
    /** The name users type. */
    public static final String NAME = "arm64";

    /** For {@link java.util.ServiceLoader}. */
    public Arm64() {
        // Alias: what uname -m prints. Memory model: ARMv8, other-multi-copy-atomic (Arm ARM B2.3;
        // herd7 aarch64.cat).
        super(NAME, List.of("aarch64"),
                "arm64: 4K/16K/64K granules, 2 to 5 levels (top level folded at run time without LPA2), "
                        + "block leaves at PMD (and PUD with 4K), contiguous PTE and PMD groups for hugetlb; "
                        + "broadcast TLBI, tables freed through RCU",
                "arm64", Arm64BaseVariant.values(), List.of(Arm64Variant.LPA2));
    }

    /** {@code 4k-48}, the defconfig, on every kernel. */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return Arm64BaseVariant.K4_48.label();
    }

    /** @throws IllegalArgumentException for {@code +lpa2} with a 64K granule */
    @Override
    protected ArchVariant variant(Arm64BaseVariant base, Set<VariantOption> options, String spec) {
        boolean lpa2 = options.contains(Arm64Variant.LPA2);
        Validate.isTrue(!lpa2 || base.lpa2Applies(),
                "variant option 'lpa2' applies to 4K and 16K granules only, was '%s'", spec);
        return new Arm64Variant(this, base, lpa2);
    }
}
