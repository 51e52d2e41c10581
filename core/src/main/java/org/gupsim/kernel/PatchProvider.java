package org.gupsim.kernel;

import java.util.List;

/**
 * Contributes patches, registered in {@code META-INF/services/org.gupsim.kernel.PatchProvider} of
 * any jar on the class path, as gupsim's own modules register theirs: then
 * {@code gupsim ... --patch NAME} finds them.
 */
public interface PatchProvider {

    /** The patches. */
    List<Patch> patches();
}
