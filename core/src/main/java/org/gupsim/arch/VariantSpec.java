package org.gupsim.arch;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A variant as users write it after the colon: a base variant and {@code +option}s, e.g.
 * {@code native-rcu+la57}. Architectures parse their specs with {@link #parse} so that every one
 * answers bad input in the same words, and name their variants with {@link #name()}.
 *
 * @param base    the base variant's label
 * @param options option labels, in the order the architecture declares its options
 */
public record VariantSpec(String base, List<String> options) {

    public VariantSpec {
        Args.notNull(base, "base");
        options = List.copyOf(options);
    }

    /**
     * Parses {@code spec} against an architecture's base variants and options. An empty spec
     * is refused like any unknown base: the default variant is asked for by giving none
     * ({@link Architecture#variant} with null), never by an empty string such as {@code arm64:}.
     *
     * @throws IllegalArgumentException naming the bad part and the allowed values, or an option
     *                                  given twice
     */
    public static VariantSpec parse(String spec, List<String> bases, List<String> allowedOptions) {
        Args.notNull(spec, "spec");
        String[] parts = spec.split("\\+", -1);
        if (!bases.contains(parts[0]) || (parts.length > 1 && allowedOptions.isEmpty())) {
            throw new IllegalArgumentException("variant must be one of " + bases + " ("
                    + (allowedOptions.isEmpty() ? "no options" : "options: +" + String.join(", +", allowedOptions))
                    + "), was '" + spec + "'");
        }
        List<String> given = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (!allowedOptions.contains(parts[i])) {
                throw new IllegalArgumentException("variant option must be one of " + allowedOptions
                        + ", was '" + parts[i] + "' in '" + spec + "'");
            }
            Validate.isTrue(!given.contains(parts[i]), "variant option '%s' is given twice in '%s'", parts[i], spec);
            given.add(parts[i]);
        }
        List<String> ordered = allowedOptions.stream().filter(given::contains).toList();
        return new VariantSpec(parts[0], ordered);
    }

    /** The canonical spec: the base, then each option in declaration order, e.g. {@code native+la57}. */
    public String name() {
        StringBuilder sb = new StringBuilder(base);
        for (String o : options) {
            sb.append('+').append(o);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
