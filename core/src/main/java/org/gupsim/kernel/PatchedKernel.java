package org.gupsim.kernel;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;

/**
 * A preset with patches: each feature a patch sets takes the patch's value, every other the
 * preset's. Made by {@link Kernel#with}; equal when preset and patch names are.
 */
final class PatchedKernel implements Kernel {
    private final Kernel base;
    private final List<Patch> patches;
    /** Feature name to what the patches set (names are unique, so the order is the names'). */
    private final TreeMap<String, Setting<?>> sets = new TreeMap<>();

    private PatchedKernel(Kernel base, List<Patch> patches) {
        this.base = base;
        this.patches = patches;
        for (Patch p : patches) {
            for (Setting<?> s : p.sets()) {
                sets.put(s.feature().name(), s);
            }
        }
    }

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
    public Kernel base() {
        return base;
    }

    @Override
    public List<Patch> patches() {
        return patches;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> FeatureValue<T> setting(Feature<T> feature) {
        Validate.isTrue(feature != null, "feature must not be null");
        Setting<?> s = sets.get(feature.name());
        if (s != null && s.feature() == feature) {
            return (FeatureValue<T>) s.value();
        }
        return base.setting(feature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchedKernel k && k.base.equals(base) && k.patches.equals(patches);
    }

    @Override
    public int hashCode() {
        return base.hashCode() * 31 + patches.hashCode();
    }

    /** {@code 6.5+no-irq-disable+split-rcu-flavors}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(base.label());
        patches.forEach(p -> sb.append('+').append(p.name()));
        return sb.toString();
    }
}
