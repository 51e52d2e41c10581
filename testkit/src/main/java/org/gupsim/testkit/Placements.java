package org.gupsim.testkit;

import org.gupsim.scenario.World;

/** The placements every architecture has. */
public enum Placements implements Placement {
    /** Where {@code mmap()} puts it. */
    KERNEL {
        @Override
        public long hint(World w, Mapping m) {
            return 0;
        }
    },
    /**
     * Straddling two entries of the mm's top table ({@link WalkAgreement#acrossTopEntry}; a single
     * huge page ends at the boundary), so that a walk crosses from one top entry to the next.
     */
    ACROSS_TOP {
        @Override
        public long hint(World w, Mapping m) {
            return WalkAgreement.acrossTopEntry(w, m);
        }
    }
}
