package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchVariant;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.PpcMappings.Backing;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Huge leaves where the issue puts them: a radix 1G hugetlb page is one PUD leaf, and a PMD-sized
 * THP or hugetlb page (2M radix, 16M hash) one PMD leaf; GUP-fast pins every subpage of them
 * through the leaf, as the locked walk sees it.
 */
class PpcHugeLeafTest {

    @Test
    void radix1gHugetlbIsOnePudLeaf() {
        ArchVariant v = PpcMappings.variant("radix-64k", KernelVersion.LATEST);
        World w = World.boot(v, KernelVersion.LATEST, MemConfig.ofBytes(16, 2200L << 20), 2);
        Task t = w.newTask();
        long len = 1L << 30;
        OpenFile f = w.vfs().create(new Filesystem(FsType.HUGETLBFS, false, 30), "giga", len);
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        assertTrue(addr > 0 && (addr & (len - 1)) == 0, "1G-aligned mapping: " + addr);
        assertEquals(0, t.touch(addr, 1L << 16, true));
        PageTables pt = t.mm().pageTables();
        Walk walk = pt.walk(addr + (5L << 20), new Walk(), "test");
        assertTrue(walk.leafPresent);
        assertEquals(Level.PUD, walk.level, "a PUD leaf maps the whole 1G");
        int n = 64;
        Page[] pages = new Page[n];
        long at = addr + len - n * (1L << 16);
        GupResult r = w.gup().pinUserPagesFast(t.mm(), at, n, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(n, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path());
        long first = pt.format().leafPfn(Level.PUD, walk.entry);
        for (int i = 0; i < n; i++) {
            assertEquals(first + (len >>> 16) - n + i, pages[i].pfn(), "subpage " + i);
        }
        w.gup().unpinUserPages(pages, n);
        w.vfs().fput(f);
        w.vfs().unlink("giga");
        assertEquals(List.of(), w.teardown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"radix-64k", "radix-4k", "hash-64k"})
    void pmdSizedThpAndHugetlbArePmdLeaves(String variant) {
        for (Backing b : List.of(Backing.THP, Backing.HUGETLB)) {
            World w = PpcMappings.boot(variant, KernelVersion.LATEST, 64);
            Mapped m = PpcMappings.map(w, b, b == Backing.HUGETLB, Touch.WRITE, Prot.RW, 0);
            Walk walk = m.task().mm().pageTables().walk(m.addr(), new Walk(), "test");
            assertTrue(walk.leafPresent, variant + " " + b);
            assertEquals(Level.PMD, walk.level, variant + " " + b + ": " + walk);
            int n = m.nrPages();
            Page[] pages = new Page[n];
            GupResult r = w.gup().pinUserPagesFast(m.task().mm(), m.addr(), n, EnumSet.of(Foll.WRITE), pages);
            assertEquals(n, r.ret(), variant + " " + b + ": " + r);
            assertEquals(GupResult.Path.FAST, r.path());
            assertTrue(pages[0].folio().large() && pages[0].folio() == pages[n - 1].folio(), "one huge folio");
            w.gup().unpinUserPages(pages, n);
            assertEquals(List.of(), m.teardown());
        }
    }
}
