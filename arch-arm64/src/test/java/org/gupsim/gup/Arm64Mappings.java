package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.kernel.Release;
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
    /** Worlds of base-page mappings: 64 MiB. */
    static final long MEMORY = 64L << 20;
    /**
     * Base pages from which a huge page is giant: the 1G pages of the 4K (a PUD block) and 16K (a
     * contiguous-PMD group) granules and the 16G contiguous-PMD page of 64K. A case over one faults,
     * pins and releases 65,536 to 262,144 pages, the cost of a hundred other cases, so the
     * generated properties and the big tables leave them out and say where they are covered:
     * {@code Arm64WalkAgreementProperties#hugetlbLeavesAreFoundOnEveryVariant} on every variant,
     * and the tables on {@link #GIANT_TABLE_VARIANTS}.
     */
    static final int GIANT_PAGES = 1 << 16;
    /** One variant per granule, on which the tables run their giant-page rows: 4k-48, 16k-47, 64k-48. */
    static final List<String> GIANT_TABLE_VARIANTS = List.of("4k-48", "16k-47", "64k-48");

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
        return variant.equals("16k-52") && k.release().compareTo(new Release(6, 9)) >= 0
                && k.release().compareTo(new Release(6, 11)) < 0;
    }

    static ArchVariant variant(String spec, KernelVersion k) {
        return Worlds.variant("arm64:" + spec, k);
    }

    /**
     * Bytes of memory for a world of {@code v} that maps {@code b}: {@link #MEMORY}, or three huge
     * pages of the backing where that is more (a 16G contiguous-PMD page: 48 GiB, 786,432 frames
     * of 64K). A frame costs a {@code mem_map} slot until it is allocated, so such a world boots
     * at once; what costs is a huge page's subpages once it is faulted in.
     */
    static long memory(ArchVariant v, Backing b) {
        return b.huge() ? Math.max(MEMORY, 3 * b.hugeSize(v)) : MEMORY;
    }

    /** A machine for mappings of {@code b} ({@link #memory}) with two CPUs. */
    static World boot(String spec, KernelVersion k, Backing b) {
        ArchVariant v = variant(spec, k);
        return Worlds.boot(v, k, memory(v, b));
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON(org.gupsim.scenario.Backing.ANON),
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range: a PMD-block THP. */
        THP(org.gupsim.scenario.Backing.ANON),
        /** A memfd (shmem). */
        MEMFD(org.gupsim.scenario.Backing.MEMFD),
        /** A hugetlbfs file of the default huge pages: one PMD block each (2M, 32M, 512M). */
        HUGETLB(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of contiguous-PTE huge pages (64K, 2M, 2M): groups of PTEs with PTE_CONT. */
        HUGETLB_CONT_PTE(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of contiguous-PMD huge pages (32M, 1G, 16G): groups of PMD blocks with PTE_CONT. */
        HUGETLB_CONT_PMD(org.gupsim.scenario.Backing.HUGETLB),
        /** A hugetlbfs file of 1G pages, one PUD block each: the 4K granule only. */
        HUGETLB_PUD(org.gupsim.scenario.Backing.HUGETLB),
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
            return this == HUGETLB || this == HUGETLB_CONT_PTE || this == HUGETLB_CONT_PMD || this == HUGETLB_PUD;
        }

        /** Whether {@code arch} has it: all but the PUD block, which only the 4K granule has. */
        boolean existsOn(ArchVariant arch) {
            return this != HUGETLB_PUD || arch.hugePageSizes().length > 3;
        }

        /** The huge page size (bytes) of this backing on {@code arch}: see Arm64Layout#hugePageSizes for the order. */
        long hugeSize(ArchVariant arch) {
            long[] sizes = arch.hugePageSizes();
            return switch (this) {
                case HUGETLB_CONT_PTE -> sizes[1];
                case HUGETLB_CONT_PMD -> sizes[2];
                case HUGETLB_PUD -> sizes[3];
                default -> sizes[0];
            };
        }

        /** Whether its page on {@code arch} is giant ({@link #GIANT_PAGES} base pages or more). */
        boolean giant(ArchVariant arch) {
            return huge() && (hugeSize(arch) >>> arch.pageShift()) >= GIANT_PAGES;
        }

        /** The testkit mapping of this backing on {@code arch}: huge backings span one huge page of their size. */
        Mapping mapping(ArchVariant arch, boolean shared, Touch touch, Prot prot, int smallPages) {
            return Mapping.of(backing, huge() ? hugeSize(arch) : 0, shared, smallPages, touch, prot);
        }
    }

    /** The backings {@code arch} has ({@link Backing#existsOn}), in declaration order. */
    static List<Backing> backings(ArchVariant arch) {
        return Arrays.stream(Backing.values()).filter(b -> b.existsOn(arch)).toList();
    }

    /** Every (variant, backing) pair that exists, variants in listing order: for generators that must not skip. */
    static List<VariantBacking> variantBackings() {
        return variantBackings(KernelVersion.LATEST);
    }

    /** {@link #variantBackings()} over the variants {@code k} has ({@link #variants(KernelVersion)}). */
    static List<VariantBacking> variantBackings(KernelVersion k) {
        return variants(k).stream()
                .flatMap(v -> backings(variant(v, k)).stream().map(b -> new VariantBacking(v, b)))
                .toList();
    }

    /** {@link #variantBackings(KernelVersion)} without the giant pages ({@link #GIANT_PAGES}). */
    static List<VariantBacking> nonGiantVariantBackings(KernelVersion k) {
        return variantBackings(k).stream().filter(vb -> !vb.backing().giant(variant(vb.variant(), k))).toList();
    }

    /**
     * Whether a table runs the row of {@code b} on {@code variant}: every row but those of giant
     * pages outside {@link #GIANT_TABLE_VARIANTS}.
     */
    static boolean tabled(String variant, Backing b) {
        return GIANT_TABLE_VARIANTS.contains(variant) || !b.giant(variant(variant, KernelVersion.LATEST));
    }

    /** A variant (without {@code arm64:}) and a backing it has. */
    record VariantBacking(String variant, Backing backing) {
    }

    /** Whether a huge backing fits the world (always, booted with {@link #boot}). */
    private static boolean fits(World w, Backing b) {
        return !b.huge() || 2 * b.hugeSize(w.arch()) <= ((long) w.mem().config().normalPages() << w.mem().pageShift());
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it as {@code touch} says, then mprotects
     * it to {@code prot}: see {@link Mapping#map}. Huge backings map one huge page of their size.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     * @throws IllegalArgumentException if the variant has no such backing or the world is too small for it
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
        Validate.isTrue(backing.existsOn(w.arch()), "backing %s does not exist on %s", backing, w.arch());
        Validate.isTrue(fits(w, backing), "backing %s does not fit this world: boot it with Arm64Mappings.memory()",
                backing);
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
