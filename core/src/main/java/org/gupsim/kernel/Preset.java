package org.gupsim.kernel;

import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A kernel named by a label: a mainline release takes every feature's value in force at
 * {@link #release()}; a patch posting (the v6 and v7 of a series) is the release it was based on
 * plus the values it {@link #sets}. A preset knows the one before it, so what changed is a
 * difference of feature values ({@link Kernel#changesFrom}).
 *
 * @param label       the name users type, e.g. {@code 6.5}
 * @param release     the mainline release whose feature values it has
 * @param description one line: what the label stands for
 * @param sets        values it has besides those of its release (a posting's)
 * @param previous    the preset it is compared with in listings (the release, or posting, before), or null
 */
public record Preset(String label, Release release, String description, List<Setting<?>> sets, Kernel previous)
        implements Kernel {

    public Preset {
        Validate.notBlank(label, "label must not be blank");
        Args.notNull(release, "release");
        Validate.notBlank(description, "description must not be blank");
        sets = List.copyOf(sets == null ? List.of() : sets);
        for (int i = 0; i < sets.size(); i++) {
            for (int j = 0; j < i; j++) {
                Validate.isTrue(sets.get(i).feature() != sets.get(j).feature(), "preset %s sets %s twice", label,
                        sets.get(i).feature());
            }
        }
    }

    /** The label's preset before this one, if it has one. */
    public Optional<Kernel> before() {
        return Optional.ofNullable(previous);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> FeatureValue<T> setting(Feature<T> feature) {
        Args.notNull(feature, "feature");
        for (Setting<?> s : sets) {
            if (s.feature() == feature) {
                return (FeatureValue<T>) s.value();
            }
        }
        return feature.valueAt(release);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preset p && p.label.equals(label);
    }

    @Override
    public int hashCode() {
        return label.hashCode();
    }

    @Override
    public String toString() {
        return label;
    }
}
