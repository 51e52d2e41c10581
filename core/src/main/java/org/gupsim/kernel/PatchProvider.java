package org.gupsim.kernel;

import java.util.List;

/**
 * Contributes patches, registered in {@code META-INF/services/org.gupsim.kernel.PatchProvider} of
 * any jar on the class path, as gupsim's own modules register theirs: then
 * {@code gupsim ... --patch NAME} finds them.
 */
public interface PatchProvider {

    /**
     * The patches, in any order ({@link KernelCatalogue} sorts them by name). By default the
     * provider class's own {@code public static final} {@link Patch} constants.
     */
    default List<Patch> patches() {
        return DeclaredConstants.of(getClass(), Patch.class);
    }
}
