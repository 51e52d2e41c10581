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
import java.util.stream.Stream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Variants, their geometry (spec §8), shootdown and table freeing, and the fragments they pack. */
class PpcVariantTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    private static PpcVariant parse(String spec) {
        return (PpcVariant) ARCHES.parse(spec, KernelVersion.LATEST);
    }

    /** Empty page tables of {@code v} on 64 MiB of 64K frames. */
    private static PageTables tables(PpcVariant v) {
        return new PageTables(new PhysMem(MemConfig.ofBytes(16, 64L << 20), new Sched(), 0),
                v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
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

    /**
     * Page size, PTEs per table, what a PMD and a PUD entry map, the address space (4 PB), the
     * fragments per page, the huge page sizes, and TASK_SIZE_USER64 (4 PB with 64K pages,
     * TASK_SIZE_64TB with 4K pages) of each MMU and page size.
     */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("radix-64k", 16, 32, 2L << 20, 1L << 30, new int[] {1, 1, 1, 16, 256},
                        List.of("64K", "2M", "1G"), 1L << 52),
                Arguments.of("radix-4k", 12, 512, 2L << 20, 1L << 30, new int[] {1, 1, 1, 1, 1},
                        List.of("4K", "2M", "1G"), 1L << 46),
                // H_PMD_FRAG_NR 4, H_PTE_FRAG_NR 16
                Arguments.of("hash-64k", 16, 256, 16L << 20, 16L << 30, new int[] {1, 1, 1, 4, 16},
                        List.of("64K", "16M", "16G"), 1L << 52));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void geometries(String base, int pageShift, int ptes, long pmdSize, long pudSize, int[] fragmentsPerPage,
                    List<String> pageSizeNames, long taskSizeMax) {
        PpcVariant v = parse("ppc64:" + base);
        Geometry g = v.newMmGeometry();
        assertEquals(pageShift, v.pageShift());
        assertEquals(ptes, g.entries(Level.PTE));
        assertEquals(pmdSize, g.size(Level.PMD), "what a PMD entry maps");
        assertEquals(pudSize, g.size(Level.PUD), "what a PUD entry maps");
        assertEquals(1L << 52, g.addressLimit(), "4 PB");
        assertArrayEquals(fragmentsPerPage, v.fragmentsPerPage());
        assertArrayEquals(new long[] {pmdSize, pudSize}, v.hugePageSizes(), "huge leaves at the PMD and PUD");
        assertEquals(pageSizeNames, v.pageSizeNames());
        assertEquals(taskSizeMax, v.taskSizeMax());
        assertTrue(v.mmapBase() < v.taskSizeMax());
    }

    @Test
    void radix64kTables() {
        PpcVariant v = parse("ppc64:radix-64k");
        Geometry g = v.newMmGeometry();
        assertEquals(256, g.tableBytes(Level.PTE), "a 256-byte PTE fragment");
        assertEquals(512L << 30, g.size(Level.P4D), "a PGD entry maps 512G");
        assertEquals(8192, g.entries(Level.P4D));
        assertEquals(4, g.levels());
        assertTrue(v.mmapBase() < 1L << 47, "below the 128TB default map window");
    }

    @Test
    void hash64kTables() {
        Geometry g = parse("ppc64:hash-64k").newMmGeometry();
        assertEquals(1024, g.entries(Level.PMD));
        assertEquals(1024, g.entries(Level.PUD));
        assertEquals(256, g.entries(Level.P4D));
    }

    @Test
    void radixPteFragmentsShareA64kPage() {
        PpcVariant v = parse("ppc64:radix-64k");
        PageTables pt = tables(v);
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
        PageTables pt = tables(v);
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
