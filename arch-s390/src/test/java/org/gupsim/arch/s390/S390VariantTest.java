package org.gupsim.arch.s390;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantUnavailableException;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.junit.jupiter.api.Test;

/** The s390 architecture as the registry sees it, its variants and its geometry (spec §8). */
class S390VariantTest {
    private static final KernelVersion K = KernelVersion.LATEST;

    @Test
    void registeredThroughServiceLoader() {
        ArchRegistry r = ArchRegistry.load();
        assertTrue(r.names().contains("s390"), r.names().toString());
        ArchVariant v = r.parse("s390", K);
        assertEquals("s390:default", v.fullName());
        assertEquals("s390:fragments", r.parse("s390:fragments", KernelVersion.V6_5).fullName());
        // d08d4e7cd6bf (6.7) gave each page table a page of its own: fragments before, default from then on.
        for (KernelVersion k : KernelVersion.values()) {
            boolean before67 = List.of(KernelVersion.V6_4, KernelVersion.V6_PATCH, KernelVersion.V7_PATCH,
                    KernelVersion.V6_5).contains(k);
            assertEquals(before67 ? "fragments" : "default", new S390().defaultVariant(k), k.label());
            assertEquals("s390:" + (before67 ? "fragments" : "default"), r.parse("s390", k).fullName());
        }
        var e = assertThrows(VariantUnavailableException.class, () -> r.parse("s390:fragments", K));
        assertEquals("s390:fragments does not exist on kernel latest: since d08d4e7cd6bf (6.7) every 2K page table "
                + "has a 4K page of its own (default)", e.getMessage());
        e = assertThrows(VariantUnavailableException.class, () -> r.parse("s390:default", KernelVersion.V6_5));
        assertTrue(e.getMessage().contains("before d08d4e7cd6bf (6.7) page_table_alloc() packed two 2K page tables"),
                e.getMessage());
    }

    @Test
    void bothVariantsBroadcastAndFreeTablesThroughRcu() {
        for (String name : new S390().variants()) {
            ArchVariant v = new S390().variant(name, K);
            assertEquals(org.gupsim.tlb.BroadcastFlush.PROMISE, v.shootdown());
            assertEquals(org.gupsim.tlb.RcuTableFree.PROMISE, v.tableFreeing());
            assertEquals(List.of("4K", "1M", "2G"), v.pageSizeNames());
            assertArrayEquals(new long[] {1L << 20, 1L << 31}, v.hugePageSizes());
            assertEquals(19, v.maxPageOrder(), "a 2G page is 2^19 4K frames: the allocator must serve order 19");
            assertEquals(12, v.pageShift());
            assertTrue(v.mmapBase() < S390Layout.REGION2_SIZE, "ordinary mappings need no upgrade");
            assertTrue(v.taskSizeMax() > S390Layout.REGION1_SIZE, "TASK_SIZE is the 5-level limit");
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, new S390().variant("default", K).fragmentsPerPage());
        assertArrayEquals(new int[] {1, 1, 1, 1, 2}, new S390().variant("fragments", K).fragmentsPerPage());
        assertEquals(new S390().variant("fragments", K), new S390().variant("fragments", K));
        assertNotEquals(new S390().variant("fragments", K), new S390().variant("default", K));
    }

    @Test
    void unknownVariantsAreRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new S390().variant("la57", K));
        assertTrue(e.getMessage().contains("[default, fragments]"), e.getMessage());
        for (String bad : List.of("", "default+", "default+ipi")) {
            e = assertThrows(IllegalArgumentException.class, () -> new S390().variant(bad, K), bad);
            assertEquals("variant must be one of [default, fragments] (no options), was '" + bad + "'", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new S390().variant("default", null));
        assertThrows(IllegalArgumentException.class, () -> new S390().optionDescription("la57"));
    }

    /**
     * Hashing follows the name, not the enum constant's identity hash, so that a hash-ordered
     * collection of variants iterates the same way in every run.
     */
    @Test
    void hashCodeFollowsTheName() {
        for (String name : new S390().variants()) {
            assertEquals(("s390:" + name).hashCode(), new S390().variant(name, K).hashCode(), name);
        }
    }

    @Test
    void geometryOfANewMm() {
        Geometry g = new S390().variant(null, K).newMmGeometry();
        assertEquals(Level.PUD, g.top(), "a region-third table on top");
        assertEquals(3, g.levels());
        assertEquals(4L << 40, g.addressLimit(), "4 TB");
        assertEquals(53, g.shift(Level.PGD));
        assertEquals(42, g.shift(Level.P4D));
        assertEquals(31, g.shift(Level.PUD));
        assertEquals(20, g.shift(Level.PMD));
        assertEquals(12, g.shift(Level.PTE));
        for (Level l : List.of(Level.PGD, Level.P4D, Level.PUD, Level.PMD)) {
            assertEquals(2048, g.entries(l));
            assertEquals(16384, g.tableBytes(l));
        }
        assertEquals(256, g.entries(Level.PTE));
        assertEquals(2048, g.tableBytes(Level.PTE));
        assertTrue(g.leafAllowed(Level.PMD) && g.leafAllowed(Level.PUD));
        assertEquals(8L << 50, g.withTop(Level.P4D).addressLimit(), "8 PB with 4 levels");
        assertEquals(Long.MAX_VALUE, g.withTop(Level.PGD).addressLimit(), "the whole (signed) space with 5");
    }
}
