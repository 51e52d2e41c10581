package org.gupsim.arch.arm64;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantSpec;
import org.gupsim.kernel.Kernel;

/**
 * arm64, registered with {@link java.util.ServiceLoader}. Variants are a granule and VA size
 * from {@link Arm64BaseVariant}, optionally followed by {@code +lpa2} ({@link Arm64Option}), e.g.
 * {@code 16k-52+lpa2}.
 */
public final class Arm64 implements Architecture {
    /** The name users type. */
    public static final String NAME = "arm64";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "arm64: 4K/16K/64K granules, 2 to 5 levels (top level folded at run time without LPA2), "
                + "block leaves at PMD (and PUD with 4K), contiguous PTE and PMD groups for hugetlb; broadcast TLBI, "
                + "tables freed through RCU";
    }

    /** Base variant names in listing order. */
    @Override
    public List<String> variants() {
        return Arm64BaseVariant.labels();
    }

    @Override
    public List<String> options() {
        return Arm64Option.labels();
    }

    @Override
    public String optionDescription(String option) {
        return Arm64Option.describe(option);
    }

    /** {@code 4k-48}, the defconfig, on every kernel. */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return Arm64BaseVariant.K4_48.label();
    }

    /**
     * Parses {@code base[+lpa2]}.
     *
     * @throws IllegalArgumentException for an unknown base or option, an empty spec or part, a repeated
     *                                  option, or {@code +lpa2} with a 64K granule
     */
    @Override
    public ArchVariant variant(String spec, Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        String s = spec == null ? defaultVariant(kernel) : spec;
        VariantSpec v = VariantSpec.parse(s, variants(), options());
        Arm64BaseVariant base = Arm64BaseVariant.byLabel(v.base());
        boolean lpa2 = v.options().contains(Arm64Option.LPA2.label());
        Validate.isTrue(!lpa2 || base.lpa2Applies(),
                "variant option 'lpa2' applies to 4K and 16K granules only, was '%s'", s);
        return new Arm64Variant(this, base, lpa2);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** ARMv8, other-multi-copy-atomic (Arm ARM B2.3; herd7 aarch64.cat). */
    @Override
    public String memoryModel() {
        return "arm64";
    }
}
