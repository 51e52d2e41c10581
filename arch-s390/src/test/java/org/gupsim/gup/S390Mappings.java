package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/** Small s390 worlds and one-mapping setups for the GUP properties. */
final class S390Mappings {
    static final ArchRegistry ARCHES = ArchRegistry.load();
    static final long PAGE = 4096;
    /** A 1M segment (the s390 PMD size, for THP and 1M hugetlb). */
    static final long SEGMENT = 1L << 20;
    /** 4 TB: the reach of a new mm; mapping there upgrades to 4 levels. */
    static final long REGION2 = 1L << 42;
    /** 8 PB: the reach of a 4-level mm; mapping there upgrades to 5 levels. */
    static final long REGION1 = 1L << 53;

    private S390Mappings() {
    }

    static World boot(String variant, KernelVersion k, int megabytes) {
        return World.boot(ARCHES.parse("s390:" + variant, k), k, MemConfig.ofBytes(12, (long) megabytes << 20), 2);
    }

    /** What backs a mapping. */
    enum Backing {
        ANON, THP, MEMFD, HUGETLB_1M, EXT4, SECRETMEM;

        long length(int smallPages) {
            return this == THP || this == HUGETLB_1M ? SEGMENT : smallPages * PAGE;
        }
    }

    /** Where the mapping goes: where mmap puts it (3 levels), at 4 TB (4 levels), at 8 PB (5 levels). */
    enum Where {
        LOW(0), REGION2(S390Mappings.REGION2), REGION1(S390Mappings.REGION1);

        final long hint;

        Where(long hint) {
            this.hint = hint;
        }
    }

    enum Touch { NONE, READ, WRITE, WRITE_FIRST_HALF }

    enum Prot {
        RW(PROT_READ | PROT_WRITE), RO(PROT_READ), NONE(PROT_NONE);

        final int bits;

        Prot(int bits) {
            this.bits = bits;
        }
    }

    record Mapped(World world, Task task, long addr, long len, OpenFile file, String linkedName) {
        int nrPages() {
            return (int) (len / PAGE);
        }

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
     * Maps {@code backing} PROT_READ|PROT_WRITE at {@code where}, touches it, mprotects it.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Where where, Touch touch, Prot prot, int smallPages) {
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
            case HUGETLB_1M -> {
                file = vfs.memfdCreate("huge", Vfs.MFD_HUGETLB, 20);
                vfs.ftruncate(file, len);
            }
            case EXT4 -> {
                name = "data";
                file = vfs.create(vfs.mount(FsType.EXT4), name, len);
            }
            default -> {
            }
        }
        int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (file == null ? MAP_ANONYMOUS : 0);
        long addr = t.mmap(where.hint, len, PROT_READ | PROT_WRITE, flags, file, 0);
        if (addr < 0) {
            new Mapped(w, t, 0, 0, file, name).teardown();
            return null;
        }
        if (where != Where.LOW) {
            assertEquals(where.hint, addr, "mmap honours the hint above the limit");
        }
        if (backing == Backing.THP) {
            assertEquals(0, t.madvise(addr, len, MADV_HUGEPAGE), "madvise");
        }
        if (touch != Touch.NONE) {
            long touched = touch == Touch.WRITE_FIRST_HALF ? len / 2 : len;
            assertEquals(0, t.touch(addr, touched, touch != Touch.READ), "touch");
        }
        if (prot != Prot.RW) {
            assertEquals(0, t.mprotect(addr, len, prot.bits), "mprotect");
        }
        return new Mapped(w, t, addr, len, file, name);
    }
}
