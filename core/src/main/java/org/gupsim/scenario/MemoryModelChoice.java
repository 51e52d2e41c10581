package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gupsim.arch.ArchVariant;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.MemoryModels;

/**
 * Which memory model an exploration runs its variants under, as {@code --memory-model} names it:
 * a registered model by name ({@code sc}, sequential consistency, the default and what every
 * exploration did before there were others; {@code tso}; {@code arm64}; {@code power}; or one a
 * user's jar registers), or {@code arch}, each variant's architecture's own model
 * ({@link org.gupsim.arch.Architecture#memoryModel()}: {@code tso} for x86-64 and s390,
 * {@code arm64}, {@code power} for powerpc).
 *
 * @param word the word as given: a model's name, or {@code arch}
 */
public record MemoryModelChoice(String word) {

    /** The word that picks each architecture's own model. */
    public static final String ARCH_WORD = "arch";
    /** Sequential consistency, the default. */
    public static final MemoryModelChoice SC = new MemoryModelChoice("sc");
    /** Each architecture's own model. */
    public static final MemoryModelChoice ARCH = new MemoryModelChoice(ARCH_WORD);

    public MemoryModelChoice {
        if (word == null || !(word.equals(ARCH_WORD) || MemoryModels.byName(word).isPresent())) {
            throw new IllegalArgumentException("memory model must be one of " + words() + ", was '" + word + "'");
        }
    }

    /** The words {@link #parse} takes: the registered models' names, then {@code arch}. */
    public static List<String> words() {
        List<String> w = new ArrayList<>(MemoryModels.names());
        w.add(ARCH_WORD);
        return List.copyOf(w);
    }

    /** The choice a word names, if it names one. */
    public static Optional<MemoryModelChoice> parse(String word) {
        return word != null && words().contains(word) ? Optional.of(new MemoryModelChoice(word)) : Optional.empty();
    }

    /** Whether this is sequential consistency whatever the architecture ({@code sc}). */
    public boolean sequential() {
        return word.equals(SC.word);
    }

    /**
     * The model {@code variant} runs under.
     *
     * @throws IllegalArgumentException if the architecture names a model nobody registered
     */
    public MemoryModel resolve(ArchVariant variant) {
        if (!word.equals(ARCH_WORD)) {
            return MemoryModels.get(word);
        }
        String name = variant.architecture().memoryModel();
        return MemoryModels.byName(name).orElseThrow(() -> new IllegalArgumentException("architecture "
                + variant.architecture().name() + " names memory model '" + name + "', which is not one of "
                + MemoryModels.names()));
    }
}
