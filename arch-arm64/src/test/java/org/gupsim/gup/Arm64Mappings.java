package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.Worlds;

/** The arm64 choices of the GUP property tests (granules, contiguous hugetlb) over the testkit's setups. */
final class Arm64Mappings {
    /** Small worlds: 64 MiB, or three default huge pages where those are bigger (64K: 1.5 GiB of 24576 frames). */
    static final long MEMORY = 64L << 20;

    private Arm64Mappings() {
    }

    /**
     * Every arm64 variant the current kernel has: each base, and +lpa2 where it applies (without
     * the {@code arm64:} prefix).
     */
    static List<String> variants() {
        return variants(KernelVersion.LATEST);
    }

    /** Every arm64 variant {@code k} has (the 52-bit builds and +lpa2 came later than some). */
    static List<String> variants(KernelVersion k) {
        return GupArbitraries.variantSpecs("arm64", k).stream().map(s -> s.substring("arm64:".length())).toList();
    }

    /**
     * Whether GUP-fast on {@code variant} under {@code k} reads a stack word instead of the top
     * table's entry (36639013b346, spec §6c): a 16K 52-bit build without LPA2 folds its PUD at run
     * time from 6.9, and the fix came in 6.11; of the model's kernels, 6.10. Properties about
     * other things leave these out; Arm64LocklessFoldingTest shows the bug.
     */
    static boolean strayStackRead(String variant, KernelVersion k) {
        return variant.equals("16k-52") && k.atLeast(6, 9) && !k.atLeast(6, 11);
    }

    static ArchVariant variant(String spec, KernelVersion k) {
        return Worlds.variant("arm64:" + spec, k);
    }

    /** Bytes of memory for a world of this variant: see {@link #MEMORY}. */
    static long memory(ArchVariant v) {
        return Math.max(MEMORY, 3 * v.hugePageSizes()[0]);
    }

    /** A small machine ({@link #memory}) with two CPUs. */
    static World boot(String spec, KernelVersion k) {
        ArchVariant v = variant(spec, k);
        return Worlds.boot(v, k, memory(v));
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON),
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range (granules whose PMD fits the world). */
        THP(org.gupsim.scenario.Backing.ANON),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD),
        /** A hugetlbfs file of the default (PMD-sized) huge pages (granules whose PMD fits the world). */
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of contiguous-PTE huge pages (64K, 2M, 2M): groups of PTEs with PTE_CONT. */
        HUGETLB_CONT_PTE(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of contiguous-PMD huge pages (32M; 1G and 16G do not fit a test world). */
        HUGETLB_CONT_PMD(org.gupsim.scenario.Backing.HUGETLB),
        /** A file on ext4. */
        EXT4(org.gupsim.scenario.Backing.EXT4),
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM(org.gupsim.scenario.Backing.SECRETMEM);

        final org.gupsim.scenario.Backing backing;

        Backing(org.gupsim.scenario.Backing backing) {
            this.backing = backing;
        }

        boolean huge() {
            return this == THP || hugetlb();
        }

        boolean hugetlb() {
            return this == HUGETLB || this == HUGETLB_CONT_PTE || this == HUGETLB_CONT_PMD;
        }

        /** The huge page size (bytes) of this backing on {@code arch}: see Arm64Layout#hugePageSizes for the order. */
        long hugeSize(ArchVariant arch) {
            long[] sizes = arch.hugePageSizes();
            return switch (this) {
                case HUGETLB_CONT_PTE -> sizes[1];
                case HUGETLB_CONT_PMD -> sizes[2];
                default -> sizes[0];
            };
        }

        /** The testkit mapping of this backing on {@code arch}: huge backings span one huge page of their size. */
        Mapping mapping(ArchVariant arch, boolean shared, Touch touch, Prot prot, int smallPages) {
            return Mapping.of(backing, huge() ? hugeSize(arch) : 0, shared, smallPages, touch, prot);
        }
    }

    /** Whether a huge backing fits the world (always, with {@link #memory}). */
    static boolean fits(World w, Backing b) {
        return !b.huge() || 2 * b.hugeSize(w.arch()) <= ((long) w.mem().config().normalPages() << w.mem().pageShift());
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it as {@code touch} says, then mprotects
     * it to {@code prot}: see {@link Mapping#map}. Huge backings map one huge page of their size.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        return map(w, backing, shared, touch, prot, smallPages, false);
    }

    /**
     * {@link #map}, with {@code acrossTop} placed to straddle two entries of the mm's top table
     * ({@link WalkAgreement#acrossTopEntry}; a single huge page ends at the boundary).
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages,
                      boolean acrossTop) {
        Validate.isTrue(fits(w, backing), "backing %s does not fit this world", backing);
        Mapping m = backing.mapping(w.arch(), shared, touch, prot, smallPages);
        if (!acrossTop) {
            return m.map(w);
        }
        long hint = WalkAgreement.acrossTopEntry(w, m);
        Mapped placed = m.at(hint).map(w);
        if (placed != null && hint != 0) {
            assertEquals(hint, placed.addr(), "mmap honours a free hint");
        }
        return placed;
    }
}
