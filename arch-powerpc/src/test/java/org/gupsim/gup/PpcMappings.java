package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gupsim.arch.ArchVariant;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.Worlds;

/** The powerpc choices of the GUP property tests (PMD leaf sizes of radix and hash) over the testkit's setups. */
final class PpcMappings {
    /** Every variant, options included (without the {@code ppc64:} prefix): see {@link GupArbitraries#variantSpecs}. */
    static final List<String> VARIANTS = GupArbitraries.variantSpecs("ppc64").stream()
            .map(s -> s.substring("ppc64:".length())).toList();

    private PpcMappings() {
    }

    static ArchVariant variant(String name, KernelVersion k) {
        return Worlds.variant("ppc64:" + name, k);
    }

    /** A machine of {@code megabytes} MiB with two CPUs and the variant's base pages. */
    static World boot(String variant, KernelVersion k, int megabytes) {
        return Worlds.boot(variant(variant, k), k, (long) megabytes << 20);
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON),
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range (2M radix, 16M hash). */
        THP(org.gupsim.scenario.Backing.ANON),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD),
        /** A hugetlbfs file of the PMD leaf size. */
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB),
        /** A file on ext4. */
        EXT4(org.gupsim.scenario.Backing.EXT4),
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM(org.gupsim.scenario.Backing.SECRETMEM);

        final org.gupsim.scenario.Backing backing;

        Backing(org.gupsim.scenario.Backing backing) {
            this.backing = backing;
        }

        /** The testkit mapping of this backing in {@code w}: THP and hugetlb span one PMD leaf. */
        Mapping mapping(World w, boolean shared, Touch touch, Prot prot, int smallPages) {
            long huge = this == THP || this == HUGETLB ? pmdSize(w) : 0;
            return Mapping.of(backing, huge, shared, smallPages, touch, prot);
        }
    }

    /** The PMD leaf size of a world: THP and the hugetlb size used here. */
    static long pmdSize(World w) {
        return w.vm().arch().newMmGeometry().size(Level.PMD);
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it, then mprotects it to {@code prot}:
     * see {@link Mapping#map}.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        return backing.mapping(w, shared, touch, prot, smallPages).map(w);
    }

    /**
     * {@link #map} placed to straddle two entries of the mm's top table
     * ({@link WalkAgreement#acrossTopEntry}; a single huge page ends at the boundary).
     */
    static Mapped mapAcrossTop(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        Mapping m = backing.mapping(w, shared, touch, prot, smallPages);
        long hint = WalkAgreement.acrossTopEntry(w, m);
        Mapped placed = m.at(hint).map(w);
        if (placed != null && hint != 0) {
            assertEquals(hint, placed.addr(), "mmap honours a free hint");
        }
        return placed;
    }
}
