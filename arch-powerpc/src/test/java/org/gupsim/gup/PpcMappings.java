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
import org.gupsim.arch.ArchVariant;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.MemConfig;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/** Small powerpc worlds and one-mapping setups shared by the GUP property tests, sized by the variant's pages. */
final class PpcMappings {
    static final ArchRegistry ARCHES = ArchRegistry.load();
    /** Every variant, options included. */
    static final List<String> VARIANTS = List.of("radix-64k", "radix-4k", "hash-64k", "radix-64k+ipi");

    private PpcMappings() {
    }

    static ArchVariant variant(String name, KernelVersion k) {
        return ARCHES.parse("ppc64:" + name, k);
    }

    /** A machine of {@code megabytes} MiB with two CPUs and the variant's base pages. */
    static World boot(String variant, KernelVersion k, int megabytes) {
        ArchVariant v = variant(variant, k);
        return World.boot(v, k, MemConfig.ofBytes(v.pageShift(), (long) megabytes << 20), 2);
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON,
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range (2M radix, 16M hash). */
        THP,
        /** A memfd (shmem). */
        MEMFD,
        /** A hugetlbfs file of the PMD leaf size. */
        HUGETLB,
        /** A file on ext4. */
        EXT4,
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM
    }

    /** How the setup leaves the pages. */
    enum Touch {
        NONE, READ, WRITE, WRITE_FIRST_HALF
    }

    /** Final protection (created PROT_READ|PROT_WRITE, mprotect-ed after touching). */
    enum Prot {
        RW(PROT_READ | PROT_WRITE), RO(PROT_READ), NONE(PROT_NONE);

        final int bits;

        Prot(int bits) {
            this.bits = bits;
        }
    }

    /** One mapping of one task, and what must be released before teardown. */
    record Mapped(World world, Task task, long addr, long len, OpenFile file, String linkedName) {
        long pageSize() {
            return (1L << world.mem().pageShift());
        }

        int nrPages() {
            return (int) (len / pageSize());
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

    /** The PMD leaf size of a world: THP and the hugetlb size used here. */
    static long pmdSize(World w) {
        return w.vm().arch().newMmGeometry().size(Level.PMD);
    }

    /**
     * Maps {@code backing} PROT_READ|PROT_WRITE, touches it, then mprotects it to {@code prot}.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        Task t = w.newTask();
        Vfs vfs = w.vfs();
        long pmd = pmdSize(w);
        long len = backing == Backing.THP || backing == Backing.HUGETLB ? pmd : smallPages * (1L << w.mem().pageShift());
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
                file = vfs.create(new Filesystem(FsType.HUGETLBFS, false, Long.numberOfTrailingZeros(pmd)), name, len);
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
            new Mapped(w, t, 0, 0, file, name).teardown();
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
