package org.gupsim.arch;

import java.util.List;
import org.gupsim.kernel.Kernel;

/**
 * An architecture module's entry point, registered in
 * {@code META-INF/services/org.gupsim.arch.Architecture}.
 */
public interface Architecture {

    /** The name users type, e.g. {@code x86_64}. */
    String name();

    /** One line saying what it is. */
    String description();

    /** Base variant names in listing order (the default may depend on the kernel: {@link #defaultVariant}). */
    List<String> variants();

    /** Options that can follow a variant with {@code +}, e.g. {@code la57}. */
    List<String> options();

    /**
     * One line saying what {@code option} changes, e.g. for {@code la57}: the CPU has LA57, so
     * the kernel uses 5-level paging.
     *
     * @throws IllegalArgumentException if {@code option} is not one of {@link #options()}
     */
    String optionDescription(String option);

    /** The variant used when none is given, which may depend on the kernel version. */
    String defaultVariant(Kernel kernel);

    /**
     * Variant specs, besides the default, that {@code gupsim compare} puts in its default matrix
     * because they differ from the default in a mechanism that decides whether GUP-fast is safe
     * (how TLBs are shot down, when page tables are freed). Each is a spec {@link #variant}
     * accepts for every kernel, e.g. {@code invlpgb}. None by default.
     */
    default List<String> defaultComparisonVariants() {
        return List.of();
    }

    /**
     * The name of the memory model ({@code org.gupsim.memmodel.MemoryModels}) this architecture's
     * CPUs follow: what an exploration with {@code --memory-model arch} runs its variants under.
     * Sequential consistency unless the architecture says otherwise.
     */
    default String memoryModel() {
        return "sc";
    }

    /**
     * Builds a variant from its spec ({@code native}, {@code native-rcu+la57}; null for the
     * default) for {@code kernel}. Parse it with {@link VariantSpec#parse}, so that every
     * architecture answers bad input, an empty spec included, in the same words.
     *
     * @throws IllegalArgumentException naming the bad part and the allowed values
     */
    ArchVariant variant(String spec, Kernel kernel);

    /**
     * Why this architecture cannot take {@code composed}, a variant composed of parts
     * ({@link VariantRecipe}): its flush or table freeing cannot work with its page tables (e.g.
     * powerpc's hash MMU removes hashed entries with {@code tlbie} only). Empty if it can, which is
     * the default.
     */
    default java.util.Optional<String> refuses(ComposedVariant composed) {
        return java.util.Optional.empty();
    }
}
