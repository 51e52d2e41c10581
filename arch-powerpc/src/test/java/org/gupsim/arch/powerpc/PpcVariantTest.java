package org.gupsim.arch.powerpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Sched;
import org.junit.jupiter.api.Test;

/** Variants, their geometry (spec §8), shootdown and table freeing, and the fragments they pack. */
class PpcVariantTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    private static PpcVariant parse(String spec) {
        return (PpcVariant) ARCHES.parse(spec, KernelVersion.LATEST);
    }

    @Test
    void registeredThroughTheServiceLoader() {
        assertTrue(ARCHES.names().contains("ppc64"), ARCHES.names().toString());
        assertEquals(List.of("radix-64k", "radix-4k", "hash-64k"), ARCHES.get("ppc64").variants());
        assertEquals(List.of("ipi"), ARCHES.get("ppc64").options());
        assertTrue(ARCHES.get("ppc64").optionDescription("ipi").contains("IPI multicast"));
        assertThrows(IllegalArgumentException.class, () -> ARCHES.get("ppc64").optionDescription("lpa2"));
        for (KernelVersion k : KernelVersion.values()) {
            assertEquals("radix-64k", ARCHES.get("ppc64").defaultVariant(k));
        }
        assertEquals("ppc64:radix-64k", ARCHES.parse("ppc64", KernelVersion.LATEST).fullName());
    }

    @Test
    void parsingRefusesWhatDoesNotExist() {
        assertThrows(IllegalArgumentException.class, () -> parse("ppc64:radix-16k"));
        assertThrows(IllegalArgumentException.class, () -> parse("ppc64:radix-64k+la57"));
        assertThrows(IllegalArgumentException.class, () -> parse("ppc64:radix-64k+ipi+ipi"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("ppc64:hash-64k+ipi"));
        assertTrue(e.getMessage().contains("radix"), e.getMessage());
        assertEquals(parse("ppc64:radix-4k+ipi"), parse("ppc64:radix-4k+ipi"));
        assertNotEquals(parse("ppc64:radix-4k+ipi"), parse("ppc64:radix-4k"));
    }

    @Test
    void shootdownAndTableFreeing() {
        for (String v : List.of("radix-64k", "radix-4k", "hash-64k")) {
            ArchVariant a = parse("ppc64:" + v);
            assertEquals(org.gupsim.tlb.BroadcastFlush.PROMISE, a.shootdown(), v + ": tlbie");
            assertEquals(org.gupsim.tlb.RcuTableFree.PROMISE, a.tableFreeing(), v);
        }
        assertEquals(RadixTlbFlush.MULTICAST, parse("ppc64:radix-64k+ipi").shootdown());
        assertEquals(org.gupsim.tlb.RcuTableFree.PROMISE, parse("ppc64:radix-64k+ipi").tableFreeing());
    }

    @Test
    void radix64kGeometry() {
        PpcVariant v = parse("ppc64:radix-64k");
        Geometry g = v.newMmGeometry();
        assertEquals(16, v.pageShift());
        assertEquals(32, g.entries(Level.PTE));
        assertEquals(256, g.tableBytes(Level.PTE), "a 256-byte PTE fragment");
        assertEquals(2L << 20, g.size(Level.PMD), "a PTE table spans 2M, a PMD entry maps 2M");
        assertEquals(1L << 30, g.size(Level.PUD), "a PUD entry maps 1G");
        assertEquals(512L << 30, g.size(Level.P4D), "a PGD entry maps 512G");
        assertEquals(8192, g.entries(Level.P4D));
        assertEquals(1L << 52, g.addressLimit(), "4 PB");
        assertEquals(4, g.levels());
        assertArrayEquals(new int[] {1, 1, 1, 16, 256}, v.fragmentsPerPage());
        assertArrayEquals(new long[] {2L << 20, 1L << 30}, v.hugePageSizes());
        assertEquals(List.of("64K", "2M", "1G"), v.pageSizeNames());
        assertEquals(1L << 52, v.taskSizeMax());
        assertTrue(v.mmapBase() < 1L << 47, "below the 128TB default map window");
    }

    @Test
    void radix4kGeometry() {
        PpcVariant v = parse("ppc64:radix-4k");
        Geometry g = v.newMmGeometry();
        assertEquals(12, v.pageShift());
        assertEquals(512, g.entries(Level.PTE));
        assertEquals(2L << 20, g.size(Level.PMD));
        assertEquals(1L << 30, g.size(Level.PUD));
        assertEquals(1L << 52, g.addressLimit());
        assertEquals(1L << 46, v.taskSizeMax(), "TASK_SIZE_64TB with 4K pages");
        assertTrue(v.mmapBase() < v.taskSizeMax());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, v.fragmentsPerPage());
        assertEquals(List.of("4K", "2M", "1G"), v.pageSizeNames());
    }

    @Test
    void hash64kGeometry() {
        PpcVariant v = parse("ppc64:hash-64k");
        Geometry g = v.newMmGeometry();
        assertEquals(256, g.entries(Level.PTE));
        assertEquals(1024, g.entries(Level.PMD));
        assertEquals(1024, g.entries(Level.PUD));
        assertEquals(256, g.entries(Level.P4D));
        assertEquals(16L << 20, g.size(Level.PMD), "a PMD entry maps 16M");
        assertEquals(16L << 30, g.size(Level.PUD), "a PUD entry maps 16G");
        assertEquals(1L << 52, g.addressLimit(), "4 PB");
        assertArrayEquals(new int[] {1, 1, 1, 4, 16}, v.fragmentsPerPage(), "H_PMD_FRAG_NR 4, H_PTE_FRAG_NR 16");
        assertArrayEquals(new long[] {16L << 20, 16L << 30}, v.hugePageSizes());
        assertEquals(List.of("64K", "16M", "16G"), v.pageSizeNames());
    }

    @Test
    void radixPteFragmentsShareA64kPage() {
        PpcVariant v = parse("ppc64:radix-64k");
        PageTables pt = new PageTables(new PhysMem(MemConfig.ofBytes(16, 64L << 20), new Sched(), 0),
                v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
        PageTable[] ptes = mapEvery(pt, v, 1L << 21, 300);
        assertSame(ptes[0].page(), ptes[255].page(), "256 PTE tables in one page");
        assertNotEquals(ptes[0].page(), ptes[256].page(), "the 257th needs a second page");
        assertEquals(256, ptes[1].phys() - ptes[0].phys());
        pt.freeTable(ptes[0], "test");
        assertFalse(ptes[1].page().freed(), "the page stays while other fragments live");
    }

    @Test
    void hashFragmentsLeaveRoomForTheHashSlotHalf() {
        PpcVariant v = parse("ppc64:hash-64k");
        PageTables pt = new PageTables(new PhysMem(MemConfig.ofBytes(16, 64L << 20), new Sched(), 0),
                v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
        PageTable[] ptes = mapEvery(pt, v, 16L << 20, 17);
        assertSame(ptes[0].page(), ptes[15].page());
        assertNotEquals(ptes[0].page(), ptes[16].page());
        assertEquals(4096, ptes[1].phys() - ptes[0].phys(), "4K PTE fragments: 2K of PTEs, 2K of slot details");
        assertEquals(2048, v.newMmGeometry().tableBytes(Level.PTE));
        for (int i = 0; i < ptes.length; i++) {
            assertSame(ptes[i], pt.tableAt(ptes[i].phys()), "the physical address finds fragment " + i);
        }
        // PMD tables of 8K in 16K fragments: a second PMD table comes 16K after the first.
        Walk a = pt.walkAlloc(0, Level.PMD, new Walk(), "test");
        Walk b = pt.walkAlloc(16L << 30, Level.PMD, new Walk(), "test");
        assertEquals(16384, b.table.phys() - a.table.phys());
    }

    /** Maps one page at every {@code step} bytes from 0 and returns the PTE tables used. */
    private static PageTable[] mapEvery(PageTables pt, PpcVariant v, long step, int n) {
        PageTable[] out = new PageTable[n];
        for (int i = 0; i < n; i++) {
            Walk w = pt.walkAlloc(i * step, Level.PTE, new Walk(), "test");
            PgtableInternals.write(w.table, w.index, v.entryFormat().mkLeaf(Level.PTE, 100 + i, v.entryFormat().vmGetPageProt(1)), "test");
            out[i] = w.table;
            Walk back = pt.walk(i * step, new Walk(), "test");
            assertTrue(back.leafPresent);
            assertEquals(100 + i, v.entryFormat().leafPfn(Level.PTE, back.entry));
        }
        return out;
    }

    @Test
    void entryFormatIsCheckedAtEveryLevel() {
        assertInstanceOf(PpcEntryFormat.class, parse("ppc64:hash-64k").entryFormat());
        assertFalse(((PpcEntryFormat) parse("ppc64:hash-64k").entryFormat()).radix());
        assertTrue(((PpcEntryFormat) parse("ppc64:radix-4k+ipi").entryFormat()).radix());
    }
}
