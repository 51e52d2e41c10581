package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.kernel.Kernel;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.Worlds;

/** The s390 choices of the GUP properties (1M segments, 3 to 5 levels) over the testkit's one-mapping setups. */
final class S390Mappings {
    static final long PAGE = 4096;
    /** A 1M segment (the s390 PMD size, for THP and 1M hugetlb). */
    static final long SEGMENT = 1L << 20;
    /** A 2G region-third page (the s390 PUD size, for 2G hugetlb). */
    static final long REGION3 = 1L << 31;
    /** 4 TB: the reach of a new mm; mapping there upgrades to 4 levels. */
    static final long REGION2 = 1L << 42;
    /** 8 PB: the reach of a 4-level mm; mapping there upgrades to 5 levels. */
    static final long REGION1 = 1L << 53;

    private S390Mappings() {
    }

    /** A 4K-page s390 machine of {@code megabytes} MiB with two CPUs. */
    static World boot(String variant, Kernel k, int megabytes) {
        return Worlds.boot("s390:" + variant, k, (long) megabytes << 20);
    }

    /**
     * A machine for mappings of {@code b}: {@code megabytes} MiB, or three of its huge pages where
     * that is more (2G pages: 6 GiB, 1,572,864 frames, which cost a {@code mem_map} slot each until
     * they are used).
     */
    static World boot(String variant, Kernel k, Backing b, int megabytes) {
        return Worlds.boot("s390:" + variant, k, Math.max((long) megabytes << 20, 3 * b.hugePageSize));
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON, 0),
        /** Anonymous memory with MADV_HUGEPAGE over one 1M segment. */
        THP(org.gupsim.scenario.Backing.ANON, SEGMENT),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD, 0),
        /** A memfd_create(MFD_HUGETLB) of one 1M huge page. */
        HUGETLB_1M(org.gupsim.scenario.Backing.MEMFD_HUGETLB, SEGMENT),
        /**
         * A hugetlbfs file of one 2G page: a region-third leaf, 524,288 pages. Giant: a case over it
         * faults, pins and releases them all, the cost of a hundred other cases, so the generated
         * properties leave it out and say where it is covered.
         */
        HUGETLB_2G(org.gupsim.scenario.Backing.HUGETLB, REGION3),
        /** A file on ext4. */
        EXT4(org.gupsim.scenario.Backing.EXT4, 0),
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM(org.gupsim.scenario.Backing.SECRETMEM, 0);

        final org.gupsim.scenario.Backing backing;
        final long hugePageSize;

        Backing(org.gupsim.scenario.Backing backing, long hugePageSize) {
            this.backing = backing;
            this.hugePageSize = hugePageSize;
        }

        /** Whether it is {@link #HUGETLB_2G}, the one the generated properties leave out. */
        boolean giant() {
            return this == HUGETLB_2G;
        }

        long length(int smallPages) {
            return hugePageSize != 0 ? hugePageSize : smallPages * PAGE;
        }

        Mapping mapping(boolean shared, Touch touch, Prot prot, int smallPages) {
            return Mapping.of(backing, hugePageSize, shared, smallPages, touch, prot);
        }
    }

    /**
     * Where the mapping goes: where mmap puts it (3 levels); across the boundary between two
     * region-third entries of the new mm ({@link WalkAgreement#acrossTopEntry}); at 4 TB (4
     * levels); across 4 TB, half below and half above, so that the upgraded mm's range crosses two
     * region-second entries (a single huge page starts at 4 TB); at 8 PB (5 levels).
     */
    enum Where {
        LOW, ACROSS_TOP, REGION2, ACROSS_REGION2, REGION1;

        /** The {@code mmap()} hint for {@code len} bytes aligned to {@code align} on {@code w}. */
        long hint(World w, long len, long align) {
            return switch (this) {
                case LOW -> 0;
                case ACROSS_TOP -> WalkAgreement.acrossTopEntry(w, len, align);
                case REGION2 -> S390Mappings.REGION2;
                case ACROSS_REGION2 -> len == align ? S390Mappings.REGION2 : S390Mappings.REGION2 - len / align / 2 * align;
                case REGION1 -> S390Mappings.REGION1;
            };
        }
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE at {@code where}, touches it, mprotects it: see
     * {@link Mapping#map}. Away from {@link Where#LOW} mmap must honour the hint (above the 3-level
     * limit that is what upgrades the table).
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Where where, Touch touch, Prot prot, int smallPages) {
        Mapping mapping = backing.mapping(shared, touch, prot, smallPages);
        long hint = where.hint(w, backing.length(smallPages), backing.hugePageSize != 0 ? backing.hugePageSize : PAGE);
        Mapped m = mapping.at(hint).map(w);
        if (m != null && where != Where.LOW) {
            assertEquals(hint, m.addr(), "mmap honours the hint");
        }
        return m;
    }
}
