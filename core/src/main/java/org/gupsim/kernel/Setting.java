package org.gupsim.kernel;

import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A feature with one of its values: what a kernel has, or what a patch sets.
 *
 * @param feature the feature
 * @param value   its value
 * @param <T>     the feature's type
 */
public record Setting<T>(Feature<T> feature, FeatureValue<T> value) {

    public Setting {
        Args.notNull(feature, "feature");
        Args.notNull(value, "value");
        Validate.isTrue(feature.type().isInstance(value.value()), "feature %s: value %s is not a %s", feature.name(),
                value.name(), feature.type().getSimpleName());
    }

    /** Whether both settings give their feature an equal value. */
    public boolean sameValue(Setting<?> o) {
        return feature == o.feature && value.value().equals(o.value.value());
    }

    /** {@code feature = value}. */
    @Override
    public String toString() {
        return feature.name() + "=" + value.name();
    }
}
