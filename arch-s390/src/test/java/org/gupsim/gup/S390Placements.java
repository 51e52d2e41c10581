package org.gupsim.gup;

import java.util.List;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Placement;
import org.gupsim.testkit.Placements;

/**
 * The s390 placements beyond the testkit's ({@link org.gupsim.testkit.Placements}): a new mm
 * reaches 4 TB with three levels, and {@code mmap()} above that upgrades the table to four levels
 * (up to 8 PB) or five (crst_table_upgrade()).
 */
enum S390Placements implements Placement {
    /** At 4 TB: four levels. */
    REGION2 {
        @Override
        public long hint(World w, Mapping m) {
            return REGION2_START;
        }
    },
    /**
     * Across 4 TB, half below and half above, so that the upgraded mm's range crosses two
     * region-second entries (a single huge page starts at 4 TB).
     */
    ACROSS_REGION2 {
        @Override
        public long hint(World w, Mapping m) {
            int pageShift = w.mem().pageShift();
            long len = m.length(pageShift);
            long align = m.hugePageSize() != 0 ? m.hugePageSize() : 1L << pageShift;
            return len == align ? REGION2_START : REGION2_START - len / align / 2 * align;
        }
    },
    /** At 8 PB: five levels. */
    REGION1 {
        @Override
        public long hint(World w, Mapping m) {
            return 1L << 53;
        }
    };

    /** Every placement on s390: 3 levels (where mmap puts it, across a region-third entry), 4 and 5. */
    static final List<Placement> ALL = List.of(Placements.KERNEL, Placements.ACROSS_TOP, REGION2, ACROSS_REGION2,
            REGION1);

    /** 4 TB: the reach of a new mm. */
    static final long REGION2_START = 1L << 42;

    /** The levels of an mm with a mapping placed here. */
    int levels() {
        return this == REGION1 ? 5 : 4;
    }
}
