package org.gupsim.arch.arm64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Labelled;
import org.gupsim.arch.VariantUnavailableException;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Variant parsing, geometry per granule and VA size (spec §8), run-time folding and layout. */
class Arm64VariantTest {
    private static final Arm64 ARM64 = new Arm64();

    private static Arm64Variant parse(String spec) {
        return (Arm64Variant) ARM64.variant(spec, KernelVersion.LATEST);
    }

    /** spec, levels, top, top entries, vabits_actual, PMD size. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("4k-39", 3, Level.PUD, 512, 39, 2L << 20),
                Arguments.of("4k-48", 4, Level.P4D, 512, 48, 2L << 20),
                Arguments.of("4k-52", 4, Level.P4D, 512, 48, 2L << 20),
                Arguments.of("4k-52+lpa2", 5, Level.PGD, 16, 52, 2L << 20),
                Arguments.of("16k-47", 3, Level.PUD, 2048, 47, 32L << 20),
                Arguments.of("16k-48", 4, Level.P4D, 2, 48, 32L << 20),
                Arguments.of("16k-48+lpa2", 4, Level.P4D, 2, 48, 32L << 20),
                Arguments.of("16k-52", 3, Level.PUD, 2048, 47, 32L << 20),
                Arguments.of("16k-52+lpa2", 4, Level.P4D, 32, 52, 32L << 20),
                Arguments.of("64k-42", 2, Level.PMD, 8192, 42, 512L << 20),
                Arguments.of("64k-48", 3, Level.PUD, 64, 48, 512L << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void geometryFollowsTheSpec(String spec, int levels, Level top, int topEntries, int vaBits, long pmdSize) {
        Arm64Variant v = parse(spec);
        Geometry g = v.newMmGeometry();
        assertEquals(levels, g.levels());
        assertEquals(top, g.top());
        assertEquals(topEntries, g.entries(top));
        assertEquals(vaBits, v.vaBitsActual());
        assertEquals(1L << vaBits, g.addressLimit());
        assertEquals(1L << vaBits, v.taskSizeMax(), "TASK_SIZE_64");
        assertEquals(pmdSize, g.size(Level.PMD));
        int bpl = v.pageShift() - 3;
        for (Level l = Level.PTE; l != top; l = Level.of(l.ordinal() - 1)) {
            assertEquals(1 << bpl, g.entries(l), "a full table below the top: " + l);
        }
        assertEquals(v.pageShift(), g.pageShift());
        long window = Math.min(v.taskSizeMax(), 1L << 48); // DEFAULT_MAP_WINDOW_64: 52-bit only on a hint
        assertTrue(v.mmapBase() < window && v.mmapBase() > window / 2, "mmap base in the top of the window");
        for (long h : v.hugePageSizes()) {
            assertEquals(0, v.mmapBase() % h, "mmap base aligned to " + h);
        }
    }

    @Test
    void runTimeFoldingKeepsTheBuiltShiftOfTheFoldedLevel() {
        Geometry folded = parse("16k-52").newMmGeometry();
        Geometry full = parse("16k-52+lpa2").newMmGeometry();
        assertTrue(folded.folded(Level.P4D));
        assertFalse(full.folded(Level.P4D));
        assertEquals(47, folded.shift(Level.P4D), "PGDIR_SHIFT stays the built 47");
        assertEquals(full.shift(Level.PUD), folded.shift(Level.PUD));
        assertEquals(48, parse("4k-52").newMmGeometry().shift(Level.PGD));
        assertEquals(0, parse("4k-52").newMmGeometry().bits(Level.PGD));
        assertEquals(36, parse("16k-47").newMmGeometry().shift(Level.PUD));
    }

    /**
     * A 16K 48-bit kernel never folds: PGDIR_SHIFT 47 leaves one bit (two entries) for its top
     * table, and without LPA2 its VA_BITS_MIN is still 48 (arch/arm64/Kconfig PGTABLE_LEVELS,
     * memory.h VA_BITS_MIN). Only the 52-bit builds fold at run time.
     */
    @Test
    void onlyFiftyTwoBitBuildsFoldAtRunTime() {
        for (Arm64BaseVariant b : Arm64BaseVariant.values()) {
            assertEquals(b.vaBits() == 52, b.foldsWithoutLpa2(), b.label());
            assertEquals(b.vaBits(), b.vaBitsActual(true), b.label());
        }
        Geometry g = parse("16k-48").newMmGeometry();
        assertEquals(g.levels(), parse("16k-48+lpa2").newMmGeometry().levels());
        assertFalse(g.folded(Level.P4D));
        assertEquals(47, g.shift(Level.P4D));
        assertEquals(1, g.bits(Level.P4D));
    }

    /** arch/arm64/mm/hugetlbpage.c: PMD (the default), contiguous PTEs, contiguous PMDs, PUD with 4K only. */
    @Test
    void hugePageSizesAreBlocksAndContiguousGroups() {
        assertArrayEquals(new long[] {2L << 20, 64L << 10, 32L << 20, 1L << 30}, parse("4k-39").hugePageSizes());
        assertArrayEquals(new long[] {32L << 20, 2L << 20, 1L << 30}, parse("16k-47").hugePageSizes());
        assertArrayEquals(new long[] {512L << 20, 2L << 20, 16L << 30}, parse("64k-48").hugePageSizes());
        assertEquals(List.of("4K", "64K", "2M", "32M", "1G"), parse("4k-48").pageSizeNames());
        assertEquals(List.of("16K", "2M", "32M", "1G"), parse("16k-48").pageSizeNames());
        assertEquals(List.of("64K", "2M", "512M", "16G"), parse("64k-42").pageSizeNames());
        assertTrue(parse("4k-48").newMmGeometry().leafAllowed(Level.PUD));
        assertFalse(parse("16k-47").newMmGeometry().leafAllowed(Level.PUD));
        assertEquals(64L << 10, Arm64Layout.contPteSize(12));
        assertEquals(32L << 20, Arm64Layout.contPmdSize(12));
        assertEquals(2L << 20, Arm64Layout.contPteSize(14));
        assertEquals(1L << 30, Arm64Layout.contPmdSize(14));
        assertEquals(2L << 20, Arm64Layout.contPteSize(16));
        assertEquals(16L << 30, Arm64Layout.contPmdSize(16));
    }

    /** num_contig_ptes(): how each size is laid out, on every variant; arch_make_huge_pte() marks groups only. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void everyHugeSizeHasItsLeavesAndOnlyGroupsAreContiguous(String spec, int levels, Level top, int topEntries,
                                                              int vaBits, long pmdSize) {
        Arm64Variant v = parse(spec);
        Geometry g = v.newMmGeometry();
        Arm64EntryFormat f = (Arm64EntryFormat) v.entryFormat();
        int ps = v.pageShift();
        for (long size : v.hugePageSizes()) {
            int shift = Long.numberOfTrailingZeros(size);
            var leaves = v.hugetlbLeaves(g, shift);
            assertEquals(size, leaves.entries() * g.size(leaves.level()), spec + " " + size);
            boolean group = leaves.entries() > 1;
            int expected = leaves.level() == Level.PTE ? Arm64Layout.contPtes(ps) : Arm64Layout.contPmds(ps);
            assertEquals(group ? expected : 1, leaves.entries(), spec + " " + size);
            long leaf = f.mkLeaf(leaves.level(), 0, f.pageShared());
            long made = v.archMakeHugePte(leaves.level(), leaf, shift);
            assertEquals(group, f.leafCont(leaves.level(), made), spec + " " + size);
            assertEquals(leaf, made & ~Arm64EntryFormat.CONT, "only the contiguous bit changes");
        }
        assertEquals(null, v.hugetlbLeaves(g, ps + 1), "no hugetlb page of twice the base page");
        assertEquals(pmdSize, v.hugePageSizes()[0], "HPAGE_SIZE is the PMD block");
    }

    @Test
    void parsingAndNames() {
        assertEquals("4k-48", ARM64.defaultVariant(KernelVersion.V6_4));
        assertEquals("4k-48", parse(null).name());
        assertEquals("arm64:16k-52+lpa2", parse("16k-52+lpa2").fullName());
        assertEquals(parse("4k-52+lpa2"), parse("4k-52+lpa2"));
        assertNotEquals(parse("4k-52"), parse("4k-52+lpa2"));
        assertEquals(Labelled.labels(Arm64BaseVariant.values()), ARM64.variants());
        assertEquals(List.of("lpa2"), ARM64.options());
        assertTrue(ARM64.optionDescription("lpa2").contains("FEAT_LPA2"));
        assertThrows(IllegalArgumentException.class, () -> ARM64.optionDescription("la57"));
        for (String bad : List.of("4k", "8k-48", "4k-48+la57", "4k-48+lpa2+lpa2", "64k-48+lpa2", "4k-48+", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().contains("variant"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ARM64.variant("4k-48", null));
    }

    @Test
    void registeredThroughServiceLoaderWithBroadcastFlushAndRcuFreeing() {
        ArchVariant v = ArchRegistry.load().parse("arm64:64k-42", KernelVersion.LATEST);
        assertEquals("arm64:64k-42", v.fullName());
        assertEquals(org.gupsim.tlb.BroadcastFlush.PROMISE, v.shootdown());
        assertEquals(org.gupsim.tlb.RcuTableFree.PROMISE, v.tableFreeing());
        assertEquals("arm64:4k-48", ArchRegistry.load().parse("arm64", KernelVersion.LATEST).fullName());
    }

    /**
     * arch/arm64/Kconfig history: 52-bit VAs with 4K and 16K pages, and the kernel's use of
     * FEAT_LPA2, from 6.9 (352b0395b505); until 6.14 (32d053d6f5e9) only in 52-bit builds.
     */
    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
        "4k-52, 6.4, 6.9", "16k-52, v6-patch, 6.9", "4k-52, v7-patch, 6.9", "16k-52, 6.5, 6.9",
        "4k-52+lpa2, 6.5, 6.9", "4k-48+lpa2, 6.4, 6.9", "16k-47+lpa2, 6.5, 6.9",
        "4k-48+lpa2, 6.10, 6.14", "4k-39+lpa2, 6.10, 6.14", "16k-48+lpa2, 6.10, 6.14", "16k-47+lpa2, 6.10, 6.14"})
    void variantsTheKernelDidNotHaveAreRefusedNamingTheRelease(String spec, String kernel, String since) {
        KernelVersion k = KernelVersion.parse(kernel);
        VariantUnavailableException e = assertThrows(VariantUnavailableException.class,
                () -> ArchRegistry.load().parse("arm64:" + spec, k));
        assertEquals("arm64:" + spec, e.variant());
        assertEquals(k, e.kernel());
        assertTrue(e.reason().contains(since), e.reason());
        assertTrue(e.getMessage().contains("kernel " + kernel), e.getMessage());
        ArchVariant built = ARM64.variant(spec, k);
        assertThrows(VariantUnavailableException.class, () -> org.gupsim.scenario.World.boot(built, k, null, 1),
                "booting checks it too");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "4k-52, 6.10", "16k-52, 6.10", "4k-52+lpa2, 6.10", "16k-52+lpa2, 6.10", "4k-48, 6.4", "16k-48, 6.4",
        "64k-48, 6.4", "4k-48+lpa2, 6.15", "16k-48+lpa2, latest", "16k-47+lpa2, 6.15"})
    void variantsTheKernelHadAreAccepted(String spec, String kernel) {
        KernelVersion k = KernelVersion.parse(kernel);
        assertEquals("arm64:" + spec, ArchRegistry.load().parse("arm64:" + spec, k).fullName());
        assertTrue(ARM64.variant(spec, k).unavailableOn(k).isEmpty());
    }
}
