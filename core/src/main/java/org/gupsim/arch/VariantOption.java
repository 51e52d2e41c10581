package org.gupsim.arch;

import java.util.Arrays;
import java.util.List;

/**
 * An option that follows a base variant with {@code +} (x86's {@code la57}, arm64's {@code lpa2},
 * powerpc's {@code ipi}): the label users type and one line saying what it changes. Architectures
 * declare their options as an enum implementing this, in canonical order, and answer
 * {@link Architecture#options()} and {@link Architecture#optionDescription} with the helpers here.
 */
public interface VariantOption {

    /** The name users type after {@code +}. */
    String label();

    /** What the option changes, in one line for listings. */
    String description();

    /** The labels of {@code options}, in their order. */
    static List<String> labels(VariantOption[] options) {
        return Arrays.stream(options).map(VariantOption::label).toList();
    }

    /** The option of {@code options} labelled {@code label}, or null. */
    static <O extends VariantOption> O byLabel(O[] options, String label) {
        for (O o : options) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The {@link #description()} of the option of {@code options} labelled {@code label}.
     *
     * @throws IllegalArgumentException if there is none, naming the allowed labels
     */
    static String describe(VariantOption[] options, String label) {
        VariantOption o = byLabel(options, label);
        if (o == null) {
            throw new IllegalArgumentException("option must be one of " + labels(options) + ", was '" + label + "'");
        }
        return o.description();
    }
}
