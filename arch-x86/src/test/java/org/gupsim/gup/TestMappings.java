package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/** Small worlds and one-mapping setups shared by the GUP property tests. */
final class TestMappings {
    static final ArchRegistry ARCHES = ArchRegistry.load();
    static final long PAGE = 4096;
    static final long HUGE = 2L << 20;

    private TestMappings() {
    }

    /** A 4K-page x86_64 machine of {@code megabytes} MiB with two CPUs. */
    static World boot(KernelVersion k, int megabytes) {
        return World.boot(ARCHES.parse("x86_64", k), k, MemConfig.ofBytes(12, (long) megabytes << 20), 2);
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON,
        /** Anonymous memory with MADV_HUGEPAGE over a 2M-aligned 2M range. */
        THP,
        /** A memfd (shmem). */
        MEMFD,
        /** A 2M hugetlbfs file. */
        HUGETLB,
        /** A file on ext4. */
        EXT4,
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM;

        long length(int smallPages) {
            return this == THP || this == HUGETLB ? HUGE : smallPages * PAGE;
        }
    }

    /** How the setup leaves the pages before the call under test. */
    enum Touch {
        NONE, READ, WRITE,
        /** Write to the first half only (for hugetlb and THP, the first huge page is all of it). */
        WRITE_FIRST_HALF
    }

    /** Final protection of the mapping (it is created PROT_READ|PROT_WRITE and mprotect-ed after touching). */
    enum Prot {
        RW(PROT_READ | PROT_WRITE), RO(PROT_READ), NONE(PROT_NONE);

        final int bits;

        Prot(int bits) {
            this.bits = bits;
        }
    }

    /** One mapping of one task, and what must be released before teardown. */
    record Mapped(World world, Task task, long addr, long len, OpenFile file, String linkedName) {
        int nrPages() {
            return (int) (len / PAGE);
        }

        /** Closes and unlinks the backing file, then tears the world down. */
        List<Violation> teardown() {
            if (file != null) {
                world.vfs().fput(file);
            }
            if (linkedName != null) {
                world.vfs().unlink(linkedName);
            }
            return world.teardown();
        }
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it as {@code touch} says, then mprotects
     * it to {@code prot}.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        Task t = w.newTask();
        Vfs vfs = w.vfs();
        long len = backing.length(smallPages);
        OpenFile file = null;
        String name = null;
        switch (backing) {
            case MEMFD -> {
                file = vfs.memfdCreate("buf", 0, 0);
                vfs.ftruncate(file, len);
            }
            case SECRETMEM -> {
                file = vfs.memfdSecret();
                vfs.ftruncate(file, len);
            }
            case HUGETLB -> {
                name = "huge";
                file = vfs.create(vfs.mount(FsType.HUGETLBFS), name, len);
            }
            case EXT4 -> {
                name = "data";
                file = vfs.create(vfs.mount(FsType.EXT4), name, len);
            }
            default -> {
            }
        }
        int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (file == null ? MAP_ANONYMOUS : 0);
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, flags, file, 0);
        if (addr < 0) {
            Mapped m = new Mapped(w, t, 0, 0, file, name);
            m.teardown();
            return null;
        }
        if (backing == Backing.THP) {
            Validate.isTrue(t.madvise(addr, len, MADV_HUGEPAGE) == 0, "madvise");
        }
        if (touch != Touch.NONE) {
            long touched = touch == Touch.WRITE_FIRST_HALF ? len / 2 : len;
            Validate.isTrue(t.touch(addr, touched, touch != Touch.READ) == 0, "touch");
        }
        if (prot != Prot.RW) {
            Validate.isTrue(t.mprotect(addr, len, prot.bits) == 0, "mprotect");
        }
        return new Mapped(w, t, addr, len, file, name);
    }
}
