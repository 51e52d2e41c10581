package org.gupsim.arch;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Collections;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * An option that follows a base variant with {@code +} (x86's {@code la57}, arm64's {@code lpa2},
 * powerpc's {@code ipi}): the label users type and one line saying what it changes. An
 * architecture declares its options as constants and lists them, in canonical order, to
 * {@link AbstractArchitecture}, which answers {@link Architecture#options()} and
 * {@link Architecture#optionDescription} from that list.
 *
 * @param label       the name users type after {@code +}
 * @param description what the option changes, in one line for listings
 */
public record VariantOption(String label, String description) implements Labelled {

    /** @throws IllegalArgumentException naming a blank label or a null description */
    public VariantOption {
        Validate.isTrue(label != null && !label.isBlank(), "label must not be blank");
        Args.notNull(description, "description");
    }

    /**
     * {@code options} checked and copied in the order of {@code all}, the canonical order of a
     * variant's name (a set's own iteration order may differ from one JVM run to the next).
     *
     * @param all     every option of the architecture, in canonical order
     * @param options the options of one variant
     * @throws IllegalArgumentException if {@code options} is or holds null, or holds an option not in {@code all}
     */
    public static Set<VariantOption> inOrder(List<VariantOption> all, Set<VariantOption> options) {
        Args.notNull(options, "options");
        for (VariantOption o : options) {
            Validate.isTrue(o != null, "options must not contain null");
            Validate.isTrue(all.contains(o), "option must be one of %s, was '%s'", Labelled.labels(all), o.label());
        }
        Set<VariantOption> ordered = new LinkedHashSet<>();
        for (VariantOption o : all) {
            if (options.contains(o)) {
                ordered.add(o);
            }
        }
        return Collections.unmodifiableSet(ordered);
    }

    /** A variant's canonical name: {@code base}, then the labels of {@code options} in their order ({@link VariantSpec#name()}). */
    public static String variantName(String base, Collection<VariantOption> options) {
        return new VariantSpec(base, options.stream().map(VariantOption::label).toList()).name();
    }

    /**
     * The {@link #description()} of the option of {@code options} labelled {@code label}.
     *
     * @throws IllegalArgumentException if there is none, naming the allowed labels
     */
    public static String describe(List<VariantOption> options, String label) {
        VariantOption o = Labelled.byLabel(options, label);
        if (o == null) {
            throw new IllegalArgumentException("option must be one of " + Labelled.labels(options) + ", was '"
                    + label + "'");
        }
        return o.description();
    }
}
