package org.gupsim.arch.x86;

import java.util.Arrays;
import java.util.List;

/** Options that follow an x86-64 base variant with {@code +}; declaration order is canonical order. */
public enum X86Option {
    /** The CPU has LA57, so the kernel uses 5-level paging (56-bit user addresses). */
    LA57("la57");

    private final String label;

    X86Option(String label) {
        this.label = label;
    }

    /** The name users type after {@code +}. */
    public String label() {
        return label;
    }

    /** Every label, in canonical order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(X86Option::label).toList();
    }

    /** The option with this label, or null. */
    static X86Option byLabel(String label) {
        for (X86Option o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        return null;
    }
}
