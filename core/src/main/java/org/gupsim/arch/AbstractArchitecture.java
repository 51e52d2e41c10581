package org.gupsim.arch;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gupsim.kernel.Kernel;
import org.gupsim.util.Args;

/**
 * What every architecture module's entry point has in common, written once: its name, aliases,
 * description and memory model as data, its base variants (an enum of {@link Labelled} values, in
 * listing order) and its {@link VariantOption}s (in canonical order), and the parsing of a variant
 * spec with {@link VariantSpec#parse}, so that every architecture answers bad input in the same
 * words. The subclass says which variant is the default on a kernel and builds the variant of a
 * parsed spec.
 *
 * @param <B> the base-variant type
 */
public abstract class AbstractArchitecture<B extends Labelled> implements Architecture {
    private final String name;
    private final List<String> aliases;
    private final String description;
    private final String memoryModel;
    private final List<B> bases;
    private final List<VariantOption> options;

    /**
     * @param name        the name users type ({@link #name()})
     * @param aliases     other names people use for it ({@link #aliases()})
     * @param description one line saying what it is
     * @param memoryModel the memory model its CPUs follow ({@link #memoryModel()})
     * @param bases       the base variants, in listing order
     * @param options     the options that can follow a base with {@code +}, in canonical order
     * @throws IllegalArgumentException naming a null argument
     */
    protected AbstractArchitecture(String name, List<String> aliases, String description, String memoryModel,
                                   B[] bases, List<VariantOption> options) {
        Args.notNull(name, "name");
        Args.notNull(description, "description");
        Args.notNull(memoryModel, "memoryModel");
        Args.notNull(bases, "bases");
        this.name = name;
        this.aliases = List.copyOf(aliases);
        this.description = description;
        this.memoryModel = memoryModel;
        this.bases = List.copyOf(Arrays.asList(bases));
        this.options = List.copyOf(options);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> aliases() {
        return aliases;
    }

    @Override
    public final String description() {
        return description;
    }

    /** The labels of the base variants, in listing order. */
    @Override
    public final List<String> variants() {
        return Labelled.labels(bases);
    }

    /** The labels of the options, in canonical order. */
    @Override
    public final List<String> options() {
        return Labelled.labels(options);
    }

    @Override
    public String optionDescription(String option) {
        return VariantOption.describe(options, option);
    }

    @Override
    public final String memoryModel() {
        return memoryModel;
    }

    /**
     * Parses {@code base[+option...]} ({@link #defaultVariant} when {@code spec} is null) and
     * builds the variant with {@link #variant(Labelled, Set, String)}.
     *
     * @throws IllegalArgumentException for a null kernel, an unknown base or option, an empty spec
     *                                  or part, a repeated option, or a combination the
     *                                  architecture does not have, naming the allowed values
     */
    @Override
    public final ArchVariant variant(String spec, Kernel kernel) {
        Args.notNull(kernel, "kernel");
        String s = spec == null ? defaultVariant(kernel) : spec;
        VariantSpec v = VariantSpec.parse(s, variants(), options());
        Set<VariantOption> chosen = new LinkedHashSet<>();
        for (String o : v.options()) {
            chosen.add(Labelled.byLabel(options, o));
        }
        return variant(Labelled.byLabel(bases, v.base()), chosen, s);
    }

    /**
     * The variant of a spec that parsed: {@code base} and {@code options} are this architecture's,
     * no option twice.
     *
     * @param spec the spec as given (the default variant's when none was), for messages
     * @throws IllegalArgumentException for a base and options that do not go together
     */
    protected abstract ArchVariant variant(B base, Set<VariantOption> options, String spec);

    @Override
    public String toString() {
        return name;
    }
}
