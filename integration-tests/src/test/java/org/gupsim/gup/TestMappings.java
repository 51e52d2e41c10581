package org.gupsim.gup;

import org.gupsim.arch.ArchRegistry;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.Worlds;

/** The x86-64 choices of the GUP property tests over the testkit's one-mapping setups. */
final class TestMappings {
    static final ArchRegistry ARCHES = Worlds.registry();
    static final long PAGE = 4096;
    static final long HUGE = 2L << 20;

    private TestMappings() {
    }

    /** A 4K-page x86_64 machine of {@code megabytes} MiB with two CPUs. */
    static World boot(KernelVersion k, int megabytes) {
        return Worlds.boot("x86_64", k, (long) megabytes << 20);
    }

    /** What backs a mapping, and its page size on x86-64. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON, 0),
        /** Anonymous memory with MADV_HUGEPAGE over a 2M-aligned 2M range. */
        THP(org.gupsim.scenario.Backing.ANON, HUGE),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD, 0),
        /** A 2M hugetlbfs file. */
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB, HUGE),
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

        long length(int smallPages) {
            return hugePageSize != 0 ? hugePageSize : smallPages * PAGE;
        }

        Mapping mapping(boolean shared, Touch touch, Prot prot, int smallPages) {
            return Mapping.of(backing, hugePageSize, shared, smallPages, touch, prot);
        }
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it as {@code touch} says, then mprotects
     * it to {@code prot}: see {@link Mapping#map}.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        return backing.mapping(shared, touch, prot, smallPages).map(w);
    }
}
