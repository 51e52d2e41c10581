package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import org.gupsim.arch.toy.Toy;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;

class GupSmokeTest {

    @Test
    void anonPinFastThenUnpinRestoresRefcounts() {
        World w = Toy.boot(KernelVersion.LATEST, 64);
        Task t = w.newTask();
        long addr = t.mmap(0, 64 << 12, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(addr > 0, "mmap returned " + addr);
        assertEquals(0, t.touch(addr, 64 << 12, true));
        Page[] pages = new Page[64];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 64, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(64, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path());
        Folio f = pages[0].folio();
        assertEquals(1 + Folio.GUP_PIN_COUNTING_BIAS, f.refcount());
        assertTrue(f.maybeDmaPinned());
        w.gup().unpinUserPages(pages, 64);
        assertEquals(1, f.refcount());
        assertEquals(java.util.List.of(), w.checkAccounting());
        assertEquals(java.util.List.of(), w.teardown());
    }

    @Test
    void sharedExt4LongtermWritePinRefused() {
        World w = Toy.boot(KernelVersion.LATEST, 64);
        Task t = w.newTask();
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "data", 16 << 12);
        long addr = t.mmap(0, 16 << 12, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        assertTrue(addr > 0);
        assertEquals(0, t.touch(addr, 16 << 12, true));
        Page[] pages = new Page[16];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 16, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(Errno.EFAULT, r.errno(), r.toString());
        assertEquals(GupResult.Path.FAST_SLOW, r.path());
        // 6.4 has no such rule
        World old = Toy.boot(KernelVersion.V6_4, 64);
        Task t2 = old.newTask();
        OpenFile f2 = old.vfs().create(old.vfs().mount(FsType.EXT4), "data", 16 << 12);
        long a2 = t2.mmap(0, 16 << 12, PROT_READ | PROT_WRITE, MAP_SHARED, f2, 0);
        t2.touch(a2, 16 << 12, true);
        GupResult r2 = old.gup().pinUserPagesFast(t2.mm(), a2, 16, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(16, r2.ret(), r2.toString());
        old.gup().unpinUserPages(pages, 16);
        old.vfs().fput(f2);
        old.vfs().unlink("data");
        assertEquals(java.util.List.of(), old.teardown());
        w.vfs().fput(f);
        w.vfs().unlink("data");
        assertEquals(java.util.List.of(), w.teardown());
    }
}
