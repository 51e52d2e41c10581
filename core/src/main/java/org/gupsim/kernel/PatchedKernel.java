package org.gupsim.kernel;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A preset with patches: each feature a patch sets takes the patch's value, every other the
 * preset's. Made by {@link Kernel#with}; equal when preset and patch names are.
 *
 * @param base    the preset
 * @param patches sorted by name, each once, at least one
 */
record PatchedKernel(Kernel base, List<Patch> patches) implements Kernel {

    /**
     * {@code base} with {@code patches} (sorted by name, each once), or {@code base} itself if
     * there are none.
     *
     * @throws PatchException if a patch does not apply to {@code base}, or two set one feature differently
     */
    static Kernel of(Kernel base, List<Patch> patches) {
        Validate.isTrue(base != null && base.base() == base, "base must be a preset");
        List<Patch> sorted = Patch.sorted(patches);
        if (sorted.isEmpty()) {
            return base;
        }
        for (Patch p : sorted) {
            Optional<String> why = p.whyNotApplicable(base);
            if (why.isPresent()) {
                throw new PatchException(p.name(), "patch " + p.name() + " does not apply to kernel " + base.label()
                        + ": " + why.get());
            }
        }
        checkConflicts(sorted);
        return new PatchedKernel(base, sorted);
    }

    private static void checkConflicts(List<Patch> sorted) {
        TreeMap<String, Setting<?>> seen = new TreeMap<>();
        TreeMap<String, Patch> by = new TreeMap<>();
        for (Patch p : sorted) {
            for (Setting<?> s : p.sets()) {
                Setting<?> o = seen.get(s.feature().name());
                if (o != null && !o.sameValue(s)) {
                    Patch q = by.get(s.feature().name());
                    throw new PatchException(q.name(), "patches " + q.name() + " and " + p.name() + " set feature "
                            + s.feature().name() + " differently (" + o.value().name() + " and " + s.value().name()
                            + ")");
                }
                seen.put(s.feature().name(), s);
                by.put(s.feature().name(), p);
            }
        }
    }

    @Override
    public String label() {
        return base.label();
    }

    @Override
    public Release release() {
        return base.release();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> FeatureValue<T> setting(Feature<T> feature) {
        Args.notNull(feature, "feature");
        // Two patches may set one feature only to the same value (of() refuses the rest); the
        // later one's naming of it counts, as it always has.
        Setting<?> last = null;
        for (Patch p : patches) {
            for (Setting<?> s : p.sets()) {
                if (s.feature() == feature) {
                    last = s;
                }
            }
        }
        return last != null ? (FeatureValue<T>) last.value() : base.setting(feature);
    }

    /** {@code 6.5+no-irq-disable+split-rcu-flavors}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(base.label());
        patches.forEach(p -> sb.append('+').append(p.name()));
        return sb.toString();
    }
}
