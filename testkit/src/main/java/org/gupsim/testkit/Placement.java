package org.gupsim.testkit;

import org.gupsim.scenario.World;

/**
 * Where a {@link GupSetup} puts its mapping: the {@code mmap()} hint for it on a booted world, 0
 * to let the kernel choose. {@link Placements} has the ones every architecture has; an
 * architecture adds its own (s390's addresses that upgrade the page table to 4 and 5 levels).
 */
public interface Placement {

    /** The hint for {@code m} on {@code w}; 0 leaves the choice to {@code mmap()}. */
    long hint(World w, Mapping m);
}
