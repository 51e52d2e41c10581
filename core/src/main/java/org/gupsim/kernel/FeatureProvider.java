package org.gupsim.kernel;

import java.util.List;

/**
 * Contributes features, registered in {@code META-INF/services/org.gupsim.kernel.FeatureProvider}
 * of any jar on the class path (gupsim's own modules do the same). A feature does not need to be
 * listed to work (a kernel answers any feature from its history); listing it puts it in
 * {@code gupsim list} and lets presets show it.
 */
public interface FeatureProvider {

    /** The features, in the order a listing shows them. */
    List<Feature<?>> features();
}
