package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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

/** The powerpc choices of the GUP property tests (radix and hash PMD and PUD leaf sizes) over the testkit's setups. */
final class PpcMappings {
    /** Every variant, options included (without the {@code ppc64:} prefix): see {@link GupArbitraries#variantSpecs}. */
    static final List<String> VARIANTS = GupArbitraries.variantSpecs("ppc64").stream()
            .map(s -> s.substring("ppc64:".length())).toList();
    /** Worlds of base-page and PMD-leaf mappings: 64 MiB. */
    static final int MEGABYTES = 64;
    /**
     * Base pages from which a huge page is giant: the PUD leaves of radix-4k (1G of 4K pages) and
     * hash-64k (16G of 64K pages), 262,144 pages each. A case over one faults, pins and releases
     * them all, the cost of a hundred other cases, so the generated properties leave them out and
     * say where they are covered (PpcHugeLeafTest, on every variant).
     */
    static final int GIANT_PAGES = 1 << 16;

    private PpcMappings() {
    }

    static ArchVariant variant(String name, KernelVersion k) {
        return Worlds.variant("ppc64:" + name, k);
    }

    /** A machine of {@code megabytes} MiB with two CPUs and the variant's base pages. */
    static World boot(String variant, KernelVersion k, int megabytes) {
        return Worlds.boot(variant(variant, k), k, (long) megabytes << 20);
    }

    /**
     * A machine for mappings of {@code b}: {@link #MEGABYTES}, or three of its huge pages where
     * that is more (a 16G hash page: 48 GiB, 786,432 frames of 64K, which cost a {@code mem_map}
     * slot each until they are used).
     */
    static World boot(String variant, KernelVersion k, Backing b) {
        ArchVariant v = variant(variant, k);
        return Worlds.boot(v, k, Math.max((long) MEGABYTES << 20, 3 * b.hugeSize(v)));
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON),
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range (2M radix, 16M hash). */
        THP(org.gupsim.scenario.Backing.ANON),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD),
        /** A hugetlbfs file of the PMD leaf size (2M radix, 16M hash), the default huge page. */
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of the PUD leaf size (1G radix, 16G hash). */
        HUGETLB_PUD(org.gupsim.scenario.Backing.HUGETLB),
        /** A file on ext4. */
        EXT4(org.gupsim.scenario.Backing.EXT4),
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM(org.gupsim.scenario.Backing.SECRETMEM);

        final org.gupsim.scenario.Backing backing;

        Backing(org.gupsim.scenario.Backing backing) {
            this.backing = backing;
        }

        /** The huge page size on {@code arch} (the PMD or PUD leaf size), or 0 for base pages. */
        long hugeSize(ArchVariant arch) {
            return switch (this) {
                case THP, HUGETLB -> arch.newMmGeometry().size(Level.PMD);
                case HUGETLB_PUD -> arch.newMmGeometry().size(Level.PUD);
                default -> 0;
            };
        }

        /** Whether its page on {@code arch} is giant ({@link #GIANT_PAGES} base pages or more). */
        boolean giant(ArchVariant arch) {
            return (hugeSize(arch) >>> arch.pageShift()) >= GIANT_PAGES;
        }

        /** The testkit mapping of this backing on {@code arch}: THP and hugetlb span one leaf. */
        Mapping mapping(ArchVariant arch, boolean shared, Touch touch, Prot prot, int smallPages) {
            return Mapping.of(backing, hugeSize(arch), shared, smallPages, touch, prot);
        }
    }

    /** The backings of {@code variant} but the giant ones ({@link #GIANT_PAGES}), in declaration order. */
    static List<Backing> nonGiantBackings(String variant) {
        ArchVariant v = variant(variant, KernelVersion.LATEST);
        return Arrays.stream(Backing.values()).filter(b -> !b.giant(v)).toList();
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
        return backing.mapping(w.arch(), shared, touch, prot, smallPages).map(w);
    }

    /**
     * {@link #map} placed to straddle two entries of the mm's top table
     * ({@link WalkAgreement#acrossTopEntry}; a single huge page ends at the boundary).
     */
    static Mapped mapAcrossTop(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        Mapping m = backing.mapping(w.arch(), shared, touch, prot, smallPages);
        long hint = WalkAgreement.acrossTopEntry(w, m);
        Mapped placed = m.at(hint).map(w);
        if (placed != null && hint != 0) {
            assertEquals(hint, placed.addr(), "mmap honours a free hint");
        }
        return placed;
    }
}
