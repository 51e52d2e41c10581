package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.vm.Task;

/** Small arm64 worlds and one-mapping setups shared by the arm64 GUP property tests. */
final class Arm64Mappings {
    static final ArchRegistry ARCHES = ArchRegistry.load();
    /** Small worlds: 64 MiB, or three default huge pages where those are bigger (64K: 1.5 GiB of 24576 frames). */
    static final long MEMORY = 64L << 20;

    private Arm64Mappings() {
    }

    /** Every arm64 variant: each base, and +lpa2 where it applies. */
    static List<String> variants() {
        List<String> out = new ArrayList<>();
        for (String base : ARCHES.get("arm64").variants()) {
            out.add(base);
            if (!base.startsWith("64k")) {
                out.add(base + "+lpa2");
            }
        }
        return out;
    }

    static ArchVariant variant(String spec, KernelVersion k) {
        return ARCHES.parse("arm64:" + spec, k);
    }

    /** Bytes of memory for a world of this variant: see {@link #MEMORY}. */
    static long memory(ArchVariant v) {
        return Math.max(MEMORY, 3 * v.hugePageSizes()[0]);
    }

    /** A small machine ({@link #memory}) with two CPUs. */
    static World boot(String spec, KernelVersion k) {
        ArchVariant v = variant(spec, k);
        return World.boot(v, k, MemConfig.ofBytes(v.pageShift(), memory(v)), 2);
    }

    /** What backs a mapping. */
    enum Backing {
        /** Private (or, shared, MAP_SHARED|MAP_ANONYMOUS) anonymous memory. */
        ANON,
        /** Anonymous memory with MADV_HUGEPAGE over one PMD-sized range (granules whose PMD fits the world). */
        THP,
        /** A memfd (shmem). */
        MEMFD,
        /** A hugetlbfs file of the default (PMD-sized) huge pages (granules whose PMD fits the world). */
        HUGETLB,
        /** A hugetlbfs file of contiguous-PTE huge pages (64K, 2M, 2M): groups of PTEs with PTE_CONT. */
        HUGETLB_CONT_PTE,
        /** A hugetlbfs file of contiguous-PMD huge pages (32M; 1G and 16G do not fit a test world). */
        HUGETLB_CONT_PMD,
        /** A file on ext4. */
        EXT4,
        /** memfd_secret(); MAP_SHARED only. */
        SECRETMEM;

        boolean huge() {
            return this == THP || hugetlb();
        }

        boolean hugetlb() {
            return this == HUGETLB || this == HUGETLB_CONT_PTE || this == HUGETLB_CONT_PMD;
        }

        /** The huge page size (bytes) of this backing on {@code arch}: see Arm64Layout#hugePageSizes for the order. */
        long hugeSize(ArchVariant arch) {
            long[] sizes = arch.hugePageSizes();
            return switch (this) {
                case HUGETLB_CONT_PTE -> sizes[1];
                case HUGETLB_CONT_PMD -> sizes[2];
                default -> sizes[0];
            };
        }
    }

    /** How the setup leaves the pages before the call under test. */
    enum Touch {
        NONE, READ, WRITE,
        /** Write to the first half only. */
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

    /** Whether a huge backing fits the world (always, with {@link #memory}). */
    static boolean fits(World w, Backing b) {
        return !b.huge() || 2 * b.hugeSize(w.arch()) <= ((long) w.mem().config().normalPages() << w.mem().pageShift());
    }

    /** One mapping of one task, and what must be released before teardown. */
    record Mapped(World world, Task task, long addr, long len, OpenFile file, String linkedName) {
        int nrPages() {
            return (int) (len >>> world.mem().pageShift());
        }

        long pageSize() {
            return 1L << world.mem().pageShift();
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
     * it to {@code prot}. Huge backings map one huge page of their size.
     *
     * @return the mapping, or null if mmap refused it (private secretmem)
     */
    static Mapped map(World w, Backing backing, boolean shared, Touch touch, Prot prot, int smallPages) {
        Validate.isTrue(fits(w, backing), "backing %s does not fit this world", backing);
        Task t = w.newTask();
        Vfs vfs = w.vfs();
        long huge = backing.hugeSize(w.arch());
        long len = backing.huge() ? huge : (long) smallPages << w.mem().pageShift();
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
            case HUGETLB, HUGETLB_CONT_PTE, HUGETLB_CONT_PMD -> {
                name = "huge";
                file = vfs.create(new Filesystem(FsType.HUGETLBFS, false, Long.numberOfTrailingZeros(huge)), name, len);
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
