package org.gupsim.kernel;

import java.util.Comparator;
import java.util.List;

/**
 * Contributes features, registered in {@code META-INF/services/org.gupsim.kernel.FeatureProvider}
 * of any jar on the class path (gupsim's own modules do the same). A feature does not need to be
 * listed to work (a kernel answers any feature from its history); listing it puts it in
 * {@code gupsim list} and lets presets show it.
 */
public interface FeatureProvider {

    /**
     * The features, in the order a listing shows them. By default the provider class's own
     * {@code public static final} {@link Feature} constants, in the order it declares them (the
     * order their initialisers run, which the Java language fixes as the textual order).
     */
    default List<Feature<?>> features() {
        return DeclaredConstants.of(getClass(), Feature.class).stream()
                .sorted(Comparator.comparingLong(Feature::serial))
                .<Feature<?>>map(f -> f)
                .toList();
    }
}
