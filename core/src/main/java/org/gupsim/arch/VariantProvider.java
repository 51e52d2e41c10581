package org.gupsim.arch;

import java.util.List;

/**
 * Contributes variants composed of parts ({@link VariantRecipe}), found with
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.gupsim.arch.VariantProvider} of a jar on the class path. The
 * project's own composed variants come the same way.
 */
public interface VariantProvider {

    /** The recipes, in listing order. */
    List<VariantRecipe> variants();
}
