package org.gupsim.kernel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A named change to a kernel: the features it sets (a check removed, a step replaced, a value
 * from another release), a description, and the commit it adds or undoes. Patches come from
 * {@link PatchProvider}s; apply them with {@link Kernel#with}.
 *
 * <pre>{@code
 * public static final Patch NO_PTE_RECHECK = Patch.builder("no-pte-recheck")
 *         .description("GUP-fast skips the PTE recheck after grabbing a folio")
 *         .undoes("the PTE recheck of gup_fast_pte_range()")
 *         .set(GupFeatures.PTE_RECHECK, false)
 *         .build();
 * }</pre>
 *
 * <p>A patch applies to a kernel where it changes something: a patch that would set every
 * feature to the value the kernel already has is refused for that kernel, naming the values.
 * {@link Builder#appliesOnlyIf} narrows that further. Two patches are the same if their names are.
 */
public final class Patch {
    /** Whether a patch brings a commit in or takes one out. */
    public enum Change {
        ADDS, UNDOES;

        /** {@code adds} or {@code undoes}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String name;
    private final String description;
    private final Change change;
    private final String commit;
    private final List<Setting<?>> sets;
    private final Function<Kernel, Optional<String>> refuses;

    private Patch(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.change = b.change;
        this.commit = b.commit;
        this.sets = List.copyOf(b.sets);
        this.refuses = b.refuses;
    }

    /**
     * Starts a patch called {@code name} (lower-case words joined by {@code -}, as users type it).
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name users type, e.g. {@code no-irq-disable}. */
    public String name() {
        return name;
    }

    /** One line: what the patched kernel does. */
    public String description() {
        return description;
    }

    /** Whether it adds or undoes {@link #commit()}. */
    public Change change() {
        return change;
    }

    /** The commit (id and subject, or a posting) it adds or undoes. */
    public String commit() {
        return commit;
    }

    /** What it sets, in the order given. */
    public List<Setting<?>> sets() {
        return sets;
    }

    /** {@code patches} sorted by name, each once: the canonical form of a set of patches. */
    public static List<Patch> sorted(Collection<Patch> patches) {
        Args.notNull(patches, "patches");
        TreeMap<String, Patch> byName = new TreeMap<>();
        for (Patch p : patches) {
            Validate.isTrue(p != null, "patches must not contain null");
            byName.put(p.name(), p);
        }
        return List.copyOf(byName.values());
    }

    /** {@code undoes 70cbc3cc78a9 "mm: gup: fix the fast GUP race against THP collapse"}. */
    public String origin() {
        return change.word() + " " + commit;
    }

    /**
     * Why this patch does not apply to {@code kernel}, or empty if it does: it must change one of
     * the kernel's values, and pass its own condition ({@link Builder#appliesOnlyIf}).
     */
    public Optional<String> whyNotApplicable(Kernel kernel) {
        Args.notNull(kernel, "kernel");
        Optional<String> own = refuses.apply(kernel);
        if (own.isPresent()) {
            return own;
        }
        for (Setting<?> s : sets) {
            if (!s.value().value().equals(kernel.get(s.feature()))) {
                return Optional.empty();
            }
        }
        return Optional.of("kernel " + kernel.label() + " already has " + String.join(", ",
                sets.stream().map(Setting::toString).toList()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Patch p && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a {@link Patch}. */
    public static final class Builder {
        private final String name;
        private String description;
        private Change change;
        private String commit;
        private final List<Setting<?>> sets = new ArrayList<>();
        private Function<Kernel, Optional<String>> refuses = k -> Optional.empty();

        private Builder(String name) {
            Validate.isTrue(name != null && name.matches("[a-z0-9]+(-[a-z0-9]+)*"),
                    "patch name must be lower-case words joined by '-', was '%s'", name);
            this.name = name;
        }

        /** One line: what the patched kernel does; see {@link #build()} for when it may be left out. */
        public Builder description(String text) {
            Validate.notBlank(text, "description must not be blank");
            this.description = text;
            return this;
        }

        /** The commit (id and subject, or a posting) the patch brings in. */
        public Builder adds(String commitText) {
            return commit(Change.ADDS, commitText);
        }

        /** The commit (id and subject, or the code it took out) the patch reverts. */
        public Builder undoes(String commitText) {
            return commit(Change.UNDOES, commitText);
        }

        private Builder commit(Change c, String text) {
            Validate.notBlank(text, "commit must not be blank");
            Validate.validState(change == null, "patch %s: adds() or undoes(), once", name);
            this.change = c;
            this.commit = text;
            return this;
        }

        /**
         * Sets {@code feature} to {@code value}. If the feature declares that value, its name and
         * description are used; otherwise the value is named after the patch.
         */
        public <T> Builder set(Feature<T> feature, T value) {
            Args.notNull(feature, "feature");
            Args.notNull(value, "value");
            FeatureValue<T> v = feature.declared(value);
            if (v == null) {
                Validate.validState(description != null, "patch %s: description() comes before set()", name);
                v = new FeatureValue<>(name, value, description, "patch " + name, null);
            }
            return set(feature, v);
        }

        /** Sets {@code feature} to {@code value}, named and described as given. */
        public <T> Builder set(Feature<T> feature, FeatureValue<T> value) {
            Setting<T> s = new Setting<>(feature, value);
            for (Setting<?> o : sets) {
                Validate.isTrue(o.feature() != feature, "patch %s sets %s twice", name, feature);
            }
            sets.add(s);
            return this;
        }

        /**
         * A condition of the patch's own: {@code refuses} answers why the patch does not apply to
         * a kernel (e.g. the code it changes is not in that kernel), or empty where it does.
         */
        public Builder appliesOnlyIf(Function<Kernel, Optional<String>> refusesWhy) {
            Validate.isTrue(refusesWhy != null, "condition must not be null");
            this.refuses = refusesWhy;
            return this;
        }

        private static <T> boolean declared(Setting<T> s) {
            return s.feature().declared(s.value().value()) == s.value();
        }

        /**
         * Without a {@link #description}, a patch that sets one feature to a value the feature
         * declares is described as that value is (the text is written once, on the feature).
         *
         * @throws IllegalStateException if the description, the commit or every setting is missing
         */
        public Patch build() {
            if (description == null && sets.size() == 1 && declared(sets.get(0))) {
                description = sets.get(0).value().description();
            }
            Validate.validState(description != null, "patch %s needs a description()", name);
            Validate.validState(change != null, "patch %s needs adds() or undoes()", name);
            Validate.validState(!sets.isEmpty(), "patch %s sets no feature", name);
            return new Patch(this);
        }
    }
}
