package org.gupsim.arch.arm64;

import java.util.Arrays;
import java.util.List;

/** Options that follow an arm64 base variant with {@code +}; declaration order is canonical order. */
public enum Arm64Option {
    /**
     * The CPU implements FEAT_LPA2: 52-bit output addresses with 4K and 16K granules, and the
     * kernel keeps the extra translation level it was built with instead of folding it at run time.
     * Only kernels that use the feature take the option: 52-bit builds from 6.9, every 4K and 16K
     * build from 6.14 ({@link Arm64Variant#unavailableOn}).
     */
    LPA2("lpa2");

    private final String label;

    Arm64Option(String label) {
        this.label = label;
    }

    /** The name users type after {@code +}. */
    public String label() {
        return label;
    }

    /** Every label, in canonical order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Arm64Option::label).toList();
    }

    /** The option with this label, or null. */
    static Arm64Option byLabel(String label) {
        for (Arm64Option o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        return null;
    }
}
