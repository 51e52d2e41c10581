package org.gupsim.readme;

import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;

/** The Java example of README.md, kept compiling and true. Keep the two in step. */
class EmbeddingExampleTest {

    static GupResult pinSharedExt4(String kernel) {
        World w = World.boot("x86_64", kernel);               // x86-64, that kernel's GUP rules
        Task vmm = w.newTask();                               // a VMM process, say QEMU
        OpenFile img = w.vfs().create(w.vfs().mount(FsType.EXT4), "guest.img", 1 << 20);
        long addr = vmm.mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, img, 0);
        vmm.touch(addr, 1 << 20, true);                       // memset(): fault every page in

        Page[] pages = new Page[1];                           // results go into your array
        GupResult r = w.gup().pinUserPagesFast(vmm.mm(), addr, 1,
                EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages); // what KVM's AIF enable does
        System.out.println(kernel + ": " + r);
        if (r.pages() > 0) {
            w.gup().unpinUserPages(pages, r.pages());
        }
        w.vfs().fput(img);
        w.vfs().unlink("guest.img");
        assertEquals(List.of(), w.teardown());                // nothing leaked, nothing pinned
        return r;
    }

    @Test
    void readmeExample() {
        assertEquals(Errno.EFAULT, pinSharedExt4("latest").errno());
        assertEquals(1, pinSharedExt4("6.4").ret());
    }
}
