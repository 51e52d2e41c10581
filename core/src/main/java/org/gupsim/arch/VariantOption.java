package org.gupsim.arch;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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

    /**
     * {@code options} checked and copied in declaration order, the canonical order of a variant's
     * name: an EnumSet iterates in declaration order, where Set.copyOf's iteration order may differ
     * from one JVM run to the next.
     *
     * @throws IllegalArgumentException if {@code options} is or holds null
     */
    static <O extends Enum<O> & VariantOption> Set<O> inDeclarationOrder(Class<O> type, Set<O> options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        Set<O> copy = EnumSet.noneOf(type);
        for (O o : options) {
            if (o == null) {
                throw new IllegalArgumentException("options must not contain null");
            }
            copy.add(o);
        }
        return Collections.unmodifiableSet(copy);
    }

    /** A variant's canonical name: {@code base}, then the labels of {@code options} in their order ({@link VariantSpec#name()}). */
    static String variantName(String base, Set<? extends VariantOption> options) {
        return new VariantSpec(base, options.stream().map(VariantOption::label).toList()).name();
    }

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
