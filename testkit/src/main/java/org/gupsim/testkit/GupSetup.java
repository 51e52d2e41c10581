package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.World;

/**
 * One generated setup of a GUP property: a variant and a kernel that has it, one mapping and where
 * it goes. {@link #build} boots a machine big enough for it and maps it there.
 *
 * @param variant   the variant spec, e.g. {@code arm64:16k-47}
 * @param kernel    the kernel
 * @param mapping   the mapping (its hint is replaced by the placement's)
 * @param placement where the mapping goes
 */
public record GupSetup(String variant, KernelVersion kernel, Mapping mapping, Placement placement) {
    /** Memory of a machine for base-page mappings: 16 MiB. */
    public static final long MEMORY = 16L << 20;

    public GupSetup {
        Validate.isTrue(variant != null, "variant must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(mapping != null, "mapping must not be null");
        Validate.isTrue(placement != null, "placement must not be null");
    }

    /** The variant this setup runs on. */
    public ArchVariant arch() {
        return Worlds.variant(variant, kernel);
    }

    /**
     * A machine for this setup: {@link #MEMORY}, or three of the mapping's huge pages where that is
     * more (a frame costs a {@code mem_map} slot until it is used, so a big one boots at once).
     */
    public World boot() {
        return Worlds.boot(arch(), kernel, Math.max(MEMORY, 3 * mapping.hugePageSize()));
    }

    /**
     * Boots a machine ({@link #boot}) and sets the mapping up there at the placement's hint, which
     * {@code mmap()} must honour.
     *
     * @return the mapping, or null if {@code mmap()} refused it (private secretmem); the world is
     *         then torn down already
     */
    public Mapped build() {
        return attempt().mapped();
    }

    /**
     * {@link #build}, saying why {@code mmap()} refused the mapping if it did.
     *
     * @return the mapping, or the errno of the {@code mmap()} that refused it (the world is then
     *         torn down already)
     */
    public Mapping.Attempt attempt() {
        World w = boot();
        long hint = placement.hint(w, mapping);
        Mapping.Attempt a = mapping.at(hint).attempt(w);
        if (a.mapped() != null && hint != 0) {
            assertEquals(hint, a.mapped().addr(), "mmap honours the hint of " + this);
        }
        return a;
    }

    @Override
    public String toString() {
        return variant + " " + kernel.label() + " " + mapping + " " + placement;
    }
}
