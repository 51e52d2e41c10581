package org.gupsim.cli;

import org.gupsim.scenario.Backing;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.gupsim.callers.IoUringBuffers;
import org.gupsim.callers.PinOutcome;
import org.gupsim.callers.VfioType1;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.gup.Foll;
import org.gupsim.gup.Gup;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.sched.Violation;
import org.gupsim.scenario.World;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;

/**
 * Runs one {@link PinRequest} on a freshly booted machine, the way the kernel's gup_longterm
 * selftest does: create the backing, mmap it read-write, write every page (so GUP-fast finds
 * them present and can pin directly), mprotect to PROT_READ for a read-only run, make the call,
 * release what it took, close and unlink the file, tear the machine down and check that nothing
 * leaked. The simulated process has CAP_IPC_LOCK (the selftest runs as root), so
 * RLIMIT_MEMLOCK does not limit the io_uring and vfio callers.
 */
final class PinRunner {
    /** The name of the linked file for tmpfs, hugetlb, ext4, xfs and btrfs backings. */
    static final String FILE_NAME = "gupsim-file";
    /**
     * The largest mapping accepted, in base pages: 2^20 (4 GiB of 4K pages, 64 GiB of 64K pages).
     * The run time and the heap grow with the base pages, not the bytes; every page size of
     * every registered variant fits (the largest, s390's 2G, is 2^19 base pages).
     */
    static final int MAX_BASE_PAGES = 1 << 20;
    private static final long SLACK_BYTES = 64L << 20;

    private PinRunner() {
    }

    /**
     * Simulated memory for a mapping of {@code length} bytes: room for the page cache and a
     * private copy of every page, an aligned huge page, and page tables; at least
     * {@link World#DEFAULT_MEMORY}.
     */
    static long memoryFor(long length, PageSize pageSize) {
        return Math.max(World.DEFAULT_MEMORY, 2 * length + pageSize.bytes() + SLACK_BYTES);
    }

    /** The outcome of the call before release. */
    private record Call(int pinned, int fastPinned, Errno errno, String path, String reason, String fastReason,
                        Runnable release) {
        static Call failedBefore(Errno errno, String reason) {
            return new Call(0, 0, errno, GupResult.Path.NONE.label(), reason, null, () -> { });
        }
    }

    static PinReport run(PinRequest q) {
        int baseShift = q.machine().arch().pageShift();
        World w = World.boot(q.machine().arch(), q.machine().kernel(),
                MemConfig.ofBytes(baseShift, memoryFor(q.length(), q.pageSize())), 2);
        Task t = w.newTask();
        t.setCapIpcLock(true);
        Vfs vfs = w.vfs();
        long len = q.length();

        OpenFile file = q.backing().createFile(vfs, FILE_NAME, q.length(), q.pageSize().shift());
        boolean linked = q.backing().linked();
        int flagBits = flagsFor(q);
        Call call = prepareAndCall(w, t, file, q, flagBits, len);
        call.release().run();

        List<String> leaks = new ArrayList<>();
        for (Violation v : w.checkAccounting()) {
            leaks.add(v.toString());
        }
        if (file != null) {
            vfs.fput(file);
        }
        if (linked) {
            vfs.unlink(FILE_NAME);
        }
        for (Violation v : w.teardown()) {
            leaks.add(v.toString());
        }
        int userBits = userFlags(q);
        String note = flagBits == userBits ? null
                : "flags used: " + Foll.describe(flagBits) + " (" + q.api().label() + " chooses its own)";
        return new PinReport(q, Foll.describe(flagBits), call.pinned(), call.fastPinned(), call.errno(), call.path(),
                call.reason(), call.fastReason(), note, leaks);
    }

    /** FOLL_WRITE / FOLL_LONGTERM as asked for. */
    private static int userFlags(PinRequest q) {
        return (q.write() ? Foll.WRITE.bit() : 0) | (q.longterm() ? Foll.LONGTERM.bit() : 0);
    }

    /** The flags the API passes: io_uring always WRITE|LONGTERM, vfio always LONGTERM. */
    static int flagsFor(PinRequest q) {
        return switch (q.api()) {
            case IO_URING -> Foll.WRITE.bit() | Foll.LONGTERM.bit();
            case VFIO -> Foll.LONGTERM.bit() | (q.write() ? Foll.WRITE.bit() : 0);
            default -> userFlags(q);
        };
    }

    private static Call prepareAndCall(World w, Task t, OpenFile file, PinRequest q, int flagBits, long len) {
        int mapType = q.shared() ? MAP_SHARED : MAP_PRIVATE;
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, file == null ? mapType | MAP_ANONYMOUS : mapType, file, 0);
        if (addr < 0) {
            String why = q.backing() == Backing.SECRETMEM && !q.shared()
                    ? "mmap: memfd_secret() memory can only be mapped MAP_SHARED"
                    : "mmap: the kernel refused the mapping";
            return Call.failedBefore(Errno.fromReturn(addr), why);
        }
        if (q.backing() == Backing.ANON && q.pageSize().shift() > q.machine().arch().pageShift()) {
            long r = t.madvise(addr, len, MADV_HUGEPAGE);
            if (r < 0) {
                return Call.failedBefore(Errno.fromReturn(r), "madvise(MADV_HUGEPAGE) failed");
            }
        }
        long r = t.touch(addr, len, true);
        if (r < 0) {
            Errno e = Errno.fromReturn(r);
            return Call.failedBefore(e, e == Errno.ENOMEM ? "writing the pages: out of memory"
                    : "writing the pages: the process would get SIGBUS or SIGSEGV");
        }
        if (q.readOnly()) {
            r = t.mprotect(addr, len, PROT_READ);
            if (r < 0) {
                return Call.failedBefore(Errno.fromReturn(r), "mprotect(PROT_READ) failed");
            }
        }
        return call(w, t, q, flagBits, addr, len);
    }

    private static Call call(World w, Task t, PinRequest q, int flagBits, long addr, long len) {
        Gup gup = w.gup();
        Mm mm = t.mm();
        int n = q.basePages();
        Page[] pages = new Page[n];
        EnumSet<Foll> flags = Foll.of(flagBits);
        return switch (q.api()) {
            case GUP -> fromGup(locked(w, mm, () -> gup.getUserPages(mm, addr, n, flags, pages)),
                    k -> gup.putPages(pages, k));
            case GUP_FAST -> fromGup(gup.getUserPagesFast(mm, addr, n, flags, pages), k -> gup.putPages(pages, k));
            case PUP -> fromGup(locked(w, mm, () -> gup.pinUserPages(mm, addr, n, flags, pages)),
                    k -> gup.unpinUserPages(pages, k));
            case PUP_FAST -> fromGup(gup.pinUserPagesFast(mm, addr, n, flags, pages),
                    k -> gup.unpinUserPages(pages, k));
            case PUP_REMOTE -> fromGup(locked(w, mm, () -> gup.pinUserPagesRemote(mm, addr, n, flags, pages, null)),
                    k -> gup.unpinUserPages(pages, k));
            case IO_URING -> {
                IoUringBuffers ring = w.ioUring(t);
                PinOutcome o = ring.register(new long[]{addr}, new long[]{len});
                yield fromCaller(o, o.ok() ? o.pinned() : 0, ring::unregister);
            }
            case VFIO -> {
                VfioType1 vfio = w.vfio(t);
                PinOutcome o = vfio.vfioPinPagesRemote(addr, n, q.write(), pages);
                int pinned = o.ok() ? (int) o.ret() : 0;
                yield fromCaller(o, pinned, () -> vfio.vfioUnpinPagesRemote(pages, pinned, q.write()));
            }
        };
    }

    /** Runs {@code call} under the mmap read lock, as callers of the locked entry points must. */
    private static GupResult locked(World w, Mm mm, Supplier<GupResult> call) {
        mm.mmapLock().downRead(w.vm().cpu());
        try {
            return call.get();
        } finally {
            mm.mmapLock().upRead(w.vm().cpu());
        }
    }

    private static Call fromGup(GupResult r, IntConsumer release) {
        int k = r.pages();
        return new Call(k, r.fastPinned(), r.errno(), r.path().label(), r.reason(), r.fastReason(),
                () -> release.accept(k));
    }

    private static Call fromCaller(PinOutcome o, int pinned, Runnable release) {
        GupResult g = o.gup();
        String reason = o.reason() != null ? o.reason() : g != null ? g.reason() : null;
        return new Call(pinned, g != null ? g.fastPinned() : 0, o.errno(),
                g != null ? g.path().label() : GupResult.Path.NONE.label(), reason, g != null ? g.fastReason() : null,
                release);
    }
}
