package org.gupsim.arch.arm64;

import java.util.List;
import org.gupsim.arch.VariantOption;

/** Options that follow an arm64 base variant with {@code +}; declaration order is canonical order. */
public enum Arm64Option implements VariantOption {
    /**
     * The CPU implements FEAT_LPA2: 52-bit output addresses with 4K and 16K granules, and the
     * kernel keeps the extra translation level it was built with instead of folding it at run time.
     * Only kernels that use the feature take the option: 52-bit builds from 6.9, every 4K and 16K
     * build from 6.14 ({@link Arm64Variant#unavailableOn}).
     */
    LPA2("lpa2", "the CPU implements FEAT_LPA2 (4K and 16K granules): the kernel keeps the extra translation level "
            + "it was built with instead of folding it at run time");

    private final String label;
    private final String description;

    Arm64Option(String label, String description) {
        this.label = label;
        this.description = description;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String description() {
        return description;
    }

    /** Every label, in canonical order. */
    public static List<String> labels() {
        return VariantOption.labels(values());
    }

    /**
     * What the option labelled {@code label} changes.
     *
     * @throws IllegalArgumentException if there is no such option, naming the allowed ones
     */
    static String describe(String label) {
        return VariantOption.describe(values(), label);
    }

    /** The option with this label, or null. */
    static Arm64Option byLabel(String label) {
        return VariantOption.byLabel(values(), label);
    }
}
