package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Geometry and address-space layout of 4-level and 5-level x86-64. */
class X86LayoutTest {
    private final X86_64 arch = new X86_64();
    private final X86Variant four = (X86Variant) arch.variant("native", KernelVersion.LATEST);
    private final X86Variant five = (X86Variant) arch.variant("native+la57", KernelVersion.LATEST);

    /** 4-level x86-64 folds the PGD into the P4D (48-bit addresses); LA57 has all five (57-bit). */
    @ParameterizedTest
    @CsvSource({"native, 4, P4D, true, 39, 48", "native+la57, 5, PGD, false, 48, 57"})
    void geometry(String spec, int levels, Level top, boolean pgdFolded, int pgdShift, int addressBits) {
        Geometry g = arch.variant(spec, KernelVersion.LATEST).newMmGeometry();
        assertEquals(levels, g.levels());
        assertEquals(top, g.top());
        assertEquals(pgdFolded, g.folded(Level.PGD));
        assertFalse(g.folded(Level.P4D));
        assertShifts(g, pgdShift, 39, 30, 21, 12);
        for (Level l : Level.values()) {
            if (!g.folded(l)) {
                assertEquals(512, g.entries(l), l.name());
                assertEquals(4096, g.tableBytes(l), l.name());
            }
        }
        assertEquals(1L << addressBits, g.addressLimit());
        assertEquals(1, g.index(Level.PMD, 0x7f0000200000L));
    }

    @Test
    void fourLevelIndices() {
        Geometry g = four.newMmGeometry();
        assertEquals(0, g.index(Level.PUD, 0x7f0000200000L));
        assertEquals(254, g.index(Level.P4D, 0x7f0000200000L));
        assertEquals(0, g.index(Level.PTE, 0x7f0000200000L));
        assertEquals(0x1ff, g.index(Level.PTE, 0x7f00003ff000L));
    }

    @Test
    void fiveLevelIndices() {
        Geometry g = five.newMmGeometry();
        assertEquals(0, g.index(Level.PGD, 0x7f0000200000L), "below 47 bits everything is in PGD slot 0");
        assertEquals(0xff, g.index(Level.PGD, (1L << 56) - 4096));
    }

    @Test
    void leavesAtPmdAndPud() {
        for (Geometry g : List.of(four.newMmGeometry(), five.newMmGeometry())) {
            assertTrue(g.leafAllowed(Level.PTE));
            assertTrue(g.leafAllowed(Level.PMD));
            assertTrue(g.leafAllowed(Level.PUD));
            assertFalse(g.leafAllowed(Level.P4D));
            assertFalse(g.leafAllowed(Level.PGD));
            assertEquals(2L << 20, g.size(Level.PMD));
            assertEquals(1L << 30, g.size(Level.PUD));
            assertEquals(4096, g.pageSize());
        }
    }

    @Test
    void addressSpaceLayout() {
        assertEquals(0x7ffffffff000L, four.taskSizeMax());
        assertEquals(0xfffffffffff000L, five.taskSizeMax());
        for (X86Variant v : List.of(four, five)) {
            assertEquals(12, v.pageShift());
            assertEquals(0x7f0000000000L, v.mmapBase());
            assertTrue(v.mmapBase() < 1L << 47, "mmap stays below 47 bits without a hint");
            assertTrue(v.taskSizeMax() <= v.newMmGeometry().addressLimit());
            assertArrayEquals(new long[] {2L << 20, 1L << 30}, v.hugePageSizes());
            assertEquals(List.of("4K", "2M", "1G"), v.pageSizeNames());
            assertArrayEquals(new int[] {1, 1, 1, 1, 1}, v.fragmentsPerPage());
            assertNotSame(v.fragmentsPerPage(), v.fragmentsPerPage(), "callers get their own copy");
            v.hugePageSizes()[0] = 0;
            assertEquals(2L << 20, v.hugePageSizes()[0]);
            assertTrue(v.haveGupFast());
            assertTrue(v.entryFormat() instanceof X86EntryFormat);
        }
    }

    private static void assertShifts(Geometry g, int... shifts) {
        Level[] levels = Level.values();
        for (int i = 0; i < 5; i++) {
            assertEquals(shifts[i], g.shift(levels[i]), levels[i].name());
        }
    }
}
