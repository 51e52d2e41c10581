package org.gupsim.gup;

import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;
import org.gupsim.memmodel.Primitive;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.sched.Sched;
import org.gupsim.smp.Cpu;
import org.gupsim.util.Args;
import org.gupsim.vm.AnonFeatures;
import org.gupsim.vm.Migrate;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Vm;
import org.gupsim.vm.VmFlags;
import org.gupsim.vm.Vma;

/**
 * The GUP API of one machine, for one kernel version. Mirrors the exported functions of mm/gup.c.
 *
 * <p>Kernel outcomes are values: each call returns a {@link GupResult} whose {@code ret} is what
 * the kernel function returns (pages, or a negative errno, or 0 where the kernel returns 0 for a
 * rejected argument). Java misuse (a null mm, a pages array too short) throws
 * {@link IllegalArgumentException}. Pages are written into the caller's array; nothing is
 * allocated per page.
 *
 * <p>As in the kernel, {@code get_user_pages()}, {@code pin_user_pages()} and the {@code _remote}
 * variants expect the caller to hold the mm's mmap lock; the {@code _unlocked} and {@code _fast}
 * variants take it themselves when they need it.
 */
public final class Gup {
    private final Vm vm;
    private final Kernel kernel;
    private final GupArch arch;
    private final PhysMem mem;
    private final Grab grab;
    private final LongtermRules rules;
    private final GupFast fast;
    private final GupSlow slow;
    private final Longterm longterm;
    private final Sched sched;
    private final boolean fsdaxNotLongtermPinnable;
    private final boolean anonExclusiveBarriers;
    private long pinsAcquired;
    private long pinsReleased;

    /**
     * @param kernel the kernel whose GUP this is: its {@link GupFeatures} decide the rules (a
     *               patched kernel's patches included)
     */
    public Gup(Vm vm, Kernel kernel, GupArch arch) {
        this.vm = Args.notNull(vm, "vm");
        this.kernel = Args.notNull(kernel, "kernel");
        this.arch = Args.notNull(arch, "arch");
        this.mem = vm.mem();
        this.sched = mem.sched();
        this.fsdaxNotLongtermPinnable = kernel.get(GupFeatures.FSDAX_NOT_LONGTERM_PINNABLE);
        this.anonExclusiveBarriers = kernel.get(AnonFeatures.ANON_EXCLUSIVE_BARRIERS);
        boolean rcuTableFree = vm.tableFreePolicy().promise().rcuTableFree();
        this.rules = new LongtermRules(kernel);
        this.grab = new Grab(this, mem);
        GupFastPrimitives primitives = new GupFastPrimitives(this, mem, vm.smp().rcu(), rcuTableFree);
        this.fast = new GupFast(this, mem, grab, primitives, vm.smp().rcu(), kernel);
        this.slow = new GupSlow(this, vm, grab, rules);
        this.longterm = new Longterm(this, slow, grab, new Migrate(vm));
    }

    /** The kernel, patches included. */
    public Kernel kernel() {
        return kernel;
    }

    GupArch arch() {
        return arch;
    }

    Cpu cpu() {
        return vm.smp().current();
    }

    /** {@code NR_FOLL_PIN_ACQUIRED}: pins taken since boot. */
    public long pinsAcquired() {
        return pinsAcquired;
    }

    /** {@code NR_FOLL_PIN_RELEASED}: pins dropped since boot. */
    public long pinsReleased() {
        return pinsReleased;
    }

    /** Reports a kernel bug the walk ran into (through the machine's scheduling seam). */
    void report(org.gupsim.sched.Violation v) {
        mem.sched().report(v);
    }

    void countPinned(int refs) {
        pinsAcquired += refs;
    }

    void countUnpinned(int refs) {
        pinsReleased += refs;
    }

    /**
     * Mirrors {@code folio_is_longterm_pinnable()} for this kernel (fsdax joined the excluded kinds
     * around 6.15: {@link GupFeatures#FSDAX_NOT_LONGTERM_PINNABLE}).
     */
    public boolean folioIsLongtermPinnable(Folio folio) {
        if (!fsdaxNotLongtermPinnable && folio.test(Folio.PG_FSDAX)) {
            int pfn = folio.pfn();
            return !mem.isCma(pfn) && !mem.isIsolated(pfn) && mem.zoneOf(pfn) != org.gupsim.mm.Zone.MOVABLE;
        }
        return mem.folioIsLongtermPinnable(folio);
    }

    /**
     * Mirrors {@code gup_must_unshare()}: a read-only FOLL_PIN must not pin a page another process
     * could still see change (or stop seeing change) through CoW. Anonymous pages must be
     * exclusive; a long-term read-only pin of a page-cache page in a private mapping must break CoW
     * first. GUP-fast passes no VMA and so must fall back whenever a page is not anonymous.
     */
    public boolean gupMustUnshare(Vma vma, int flags, Page page) {
        if ((flags & (Foll.WRITE.bit() | Foll.PIN.bit())) != Foll.PIN.bit()) {
            return false;
        }
        Folio folio = page.folio();
        if (!folio.anon()) {
            if ((flags & Foll.LONGTERM.bit()) == 0) {
                return false;
            }
            if (vma == null) {
                return true;
            }
            return VmFlags.isCowMapping(vma.flags());
        }
        if (anonExclusiveBarriers) {
            // Paired with the smp_mb__after_atomic() after __folio_try_share_anon_rmap() clears
            // the flag (088b8aa537c2): GUP-fast read the PTE before; the flag must be read after.
            sched.fence(Primitive.RMB, "gup_must_unshare");
        }
        // B5: a read point of its own, so that a weak memory model can order it after B4 or not.
        return !mem.pageAnonExclusive(page);
    }

    // ------------------------------------------------------------------ argument checks

    /**
     * Mirrors {@code is_valid_gup_args()}: the WARN_ON_ONCE checks every entry point makes.
     *
     * @return the flags to use, or -1 if the arguments are invalid
     */
    static int isValidGupArgs(Page[] pages, int[] locked, int gupFlags, int toSet) {
        if ((gupFlags & Foll.INTERNAL) != 0) {
            return -1;
        }
        gupFlags |= toSet;
        if (locked != null) {
            if (locked[0] != 1) {
                return -1;
            }
            gupFlags |= Foll.UNLOCKABLE.bit();
        }
        if ((gupFlags & (Foll.PIN.bit() | Foll.GET.bit())) == (Foll.PIN.bit() | Foll.GET.bit())) {
            return -1;
        }
        if ((gupFlags & Foll.PIN.bit()) == 0 && (gupFlags & Foll.LONGTERM.bit()) != 0) {
            return -1;
        }
        if ((gupFlags & (Foll.GET.bit() | Foll.PIN.bit())) != 0 && pages == null) {
            return -1;
        }
        if ((gupFlags & Foll.LONGTERM.bit()) != 0 && (gupFlags & Foll.PCI_P2PDMA.bit()) != 0) {
            return -1;
        }
        return gupFlags;
    }

    private static void checkJavaArgs(Mm mm, long start, int nrPages, Set<Foll> flags, Page[] pages, int[] locked) {
        Args.notNull(mm, "mm");
        Validate.isTrue(nrPages >= 0, "nrPages must not be negative, was %d", nrPages);
        Validate.isTrue(flags != null, "gupFlags must not be null");
        Validate.isTrue(pages == null || pages.length >= nrPages,
                "pages must hold nrPages (%d) entries, has %d", nrPages, pages == null ? 0 : pages.length);
        Validate.isTrue(locked == null || locked.length == 1, "locked must be null or a one-element array");
    }

    /**
     * The Java-level guard of each entry point, once per call (never per page): the machine's
     * driving thread and a machine not torn down ({@code Sched.checkCaller}), and in direct mode an
     * {@code mm} whose process has not exited. A caller pinning through a stale {@code mm} is a
     * mistake in Java, which the kernel never sees: its callers hold a reference ({@code mmget()})
     * that keeps {@code exit_mmap()} from running. Explored, scenarios race exit against GUP on
     * purpose, and the model's checkers judge what happens.
     *
     * @throws IllegalStateException naming what is wrong
     */
    private void enter(Mm mm) {
        sched.checkCaller();
        if (mm != null && mm.dead() && !sched.explored()) {
            throw new IllegalStateException(mm + " was torn down (its process exited); GUP needs a live mm");
        }
    }

    private static void assertMmapLocked(Mm mm) {
        Validate.isTrue(mm.mmapLock().isLocked(),
                "mm's mmap_lock must be held by the caller (mmap_read_lock), as this GUP entry point requires");
    }

    private static GupResult invalid(long ret) {
        return new GupResult(ret, 0, GupResult.Path.NONE, "is_valid_gup_args() rejected the arguments (WARN)");
    }

    /**
     * The shared body of the slow entry points: the Java checks, {@link #enter}, then
     * {@code is_valid_gup_args()} with the flags the entry point adds, and the walk. The FOLL_PIN
     * ones answer invalid arguments with 0 and walk through {@code __gup_longterm_locked()}; the
     * FOLL_GET ones answer -EINVAL and call {@code __get_user_pages_locked()} directly.
     *
     * @param toSet       the FOLL_ flags the kernel entry point adds
     * @param callerLocks whether the caller holds the mmap lock (else the walk takes it itself)
     */
    private GupResult slowEntry(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages, int[] locked,
                                int toSet, boolean callerLocks) {
        checkJavaArgs(mm, start, nrPages, gupFlags, pages, locked);
        enter(mm);
        boolean pin = (toSet & Foll.PIN.bit()) != 0;
        int flags = isValidGupArgs(pages, locked, Foll.bits(gupFlags), toSet);
        if (flags < 0) {
            return invalid(pin ? 0 : Errno.EINVAL.negative());
        }
        if (callerLocks) {
            assertMmapLocked(mm);
        }
        GupCall c = new GupCall(mm, flags, pages, 0);
        long ret = pin ? longterm.gupLongtermLocked(c, start, nrPages, callerLocks)
                : slow.getUserPagesLocked(c, start, nrPages, callerLocks);
        return new GupResult(ret, 0, GupResult.Path.SLOW, ret == 0 && c.reason == null ? null : c.reason);
    }

    /**
     * The shared body of the fast entry points after their Java checks: {@link #enter},
     * {@code is_valid_gup_args()} with the flags the entry point adds, then
     * {@link #gupFastFallback}.
     *
     * @param invalidRet what the entry point returns for invalid arguments (0 or -EINVAL)
     */
    private GupResult fastEntry(Mm mm, long start, int nrPages, int gupFlags, Page[] pages, int toSet,
                                long invalidRet) {
        enter(mm);
        int flags = isValidGupArgs(pages, null, gupFlags, toSet);
        if (flags < 0) {
            return invalid(invalidRet);
        }
        return gupFastFallback(mm, start, nrPages, flags, pages);
    }

    // ------------------------------------------------------------------ slow entry points

    /** Mirrors {@code get_user_pages()}: FOLL_TOUCH added; the caller holds the mmap lock. */
    public GupResult getUserPages(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, null, Foll.TOUCH.bit(), true);
    }

    /** Mirrors {@code get_user_pages_unlocked()}: takes the mmap lock itself. */
    public GupResult getUserPagesUnlocked(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, null, Foll.TOUCH.bit() | Foll.UNLOCKABLE.bit(), false);
    }

    /**
     * Mirrors {@code get_user_pages_remote()}: FOLL_TOUCH|FOLL_REMOTE added; the caller holds
     * {@code mm}'s mmap lock ({@code locked}, if given, must say so: {@code {1}}).
     */
    public GupResult getUserPagesRemote(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages,
                                        int[] locked) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, locked, Foll.TOUCH.bit() | Foll.REMOTE.bit(), true);
    }

    /**
     * Mirrors {@code pin_user_pages()}: FOLL_PIN added, long-term handling included; the caller
     * holds the mmap lock. An invalid argument returns 0, not -EINVAL, as in the kernel.
     */
    public GupResult pinUserPages(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, null, Foll.PIN.bit(), true);
    }

    /**
     * Mirrors {@code pin_user_pages_remote()}: FOLL_PIN|FOLL_TOUCH|FOLL_REMOTE added; caller holds
     * the mmap lock. Invalid arguments return 0.
     */
    public GupResult pinUserPagesRemote(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages,
                                        int[] locked) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, locked,
                Foll.PIN.bit() | Foll.TOUCH.bit() | Foll.REMOTE.bit(), true);
    }

    /** Mirrors {@code pin_user_pages_unlocked()}: takes the mmap lock itself. Invalid arguments return 0. */
    public GupResult pinUserPagesUnlocked(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        return slowEntry(mm, start, nrPages, gupFlags, pages, null,
                Foll.PIN.bit() | Foll.TOUCH.bit() | Foll.UNLOCKABLE.bit(), false);
    }

    // ------------------------------------------------------------------ fast entry points

    /** Mirrors {@code get_user_pages_fast()}: FOLL_GET added. */
    public GupResult getUserPagesFast(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        checkJavaArgs(mm, start, nrPages, gupFlags, pages, null);
        return fastEntry(mm, start, nrPages, Foll.bits(gupFlags), pages, Foll.GET.bit(), Errno.EINVAL.negative());
    }

    /** Mirrors {@code get_user_pages_fast_only()}: FOLL_GET|FOLL_FAST_ONLY, never the slow path. */
    public GupResult getUserPagesFastOnly(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        checkJavaArgs(mm, start, nrPages, gupFlags, pages, null);
        return fastEntry(mm, start, nrPages, Foll.bits(gupFlags), pages, Foll.GET.bit() | Foll.FAST_ONLY.bit(),
                Errno.EINVAL.negative());
    }

    /**
     * Mirrors {@code pin_user_pages_fast_only()} (5.8; the FOLL_PIN twin of
     * {@code get_user_pages_fast_only()}): FOLL_PIN|FOLL_FAST_ONLY, never the slow path; what
     * GUP-fast could not pin is left unpinned, and an invalid argument returns 0.
     */
    public GupResult pinUserPagesFastOnly(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        checkJavaArgs(mm, start, nrPages, gupFlags, pages, null);
        return fastEntry(mm, start, nrPages, Foll.bits(gupFlags), pages, Foll.PIN.bit() | Foll.FAST_ONLY.bit(), 0);
    }

    /** Mirrors {@code pin_user_pages_fast()}: FOLL_PIN added. */
    public GupResult pinUserPagesFast(Mm mm, long start, int nrPages, Set<Foll> gupFlags, Page[] pages) {
        checkJavaArgs(mm, start, nrPages, gupFlags, pages, null);
        return pinUserPagesFast(mm, start, nrPages, Foll.bits(gupFlags), pages);
    }

    /** {@link #pinUserPagesFast(Mm, long, int, Set, Page[])} with flags as a bit mask ({@link Foll#bits}). */
    public GupResult pinUserPagesFast(Mm mm, long start, int nrPages, int gupFlags, Page[] pages) {
        Args.notNull(mm, "mm");
        Validate.isTrue(nrPages >= 0, "nrPages must not be negative, was %d", nrPages);
        Validate.isTrue(pages == null || pages.length >= nrPages, "pages must hold nrPages entries");
        return fastEntry(mm, start, nrPages, gupFlags, pages, Foll.PIN.bit(), Errno.EINVAL.negative());
    }

    /**
     * Mirrors {@code gup_fast_fallback()}: check the range, pin what the lockless walk can, and
     * hand the rest to the slow path (with FOLL_TOUCH|FOLL_UNLOCKABLE) unless FOLL_FAST_ONLY. If
     * the slow path fails after the fast path made progress, the fast count is returned and those
     * pages stay pinned: any progress wins over the error.
     */
    private GupResult gupFastFallback(Mm mm, long start, int nrPages, int flags, Page[] pages) {
        if ((flags & ~Foll.FAST_ALLOWED) != 0) {
            return new GupResult(Errno.EINVAL.negative(), 0, GupResult.Path.NONE,
                    "gup_fast_fallback(): flag not allowed on the fast path (WARN)");
        }
        if ((flags & Foll.PIN.bit()) != 0) {
            mm.setHasPinned();
        }
        long pageSize = mm.pageSize();
        start &= -pageSize;
        long len = (long) nrPages * pageSize;
        long end = start + len;
        if (end < start || (start < 0 && end >= 0)) {
            return new GupResult(Errno.EOVERFLOW.negative(), 0, GupResult.Path.NONE, "start + len overflows");
        }
        if (Long.compareUnsigned(end, mm.taskSize()) > 0) {
            return new GupResult(Errno.EFAULT.negative(), 0, GupResult.Path.NONE, "range beyond TASK_SIZE_MAX");
        }
        GupCall c = new GupCall(mm, flags, pages, 0);
        int nrPinned = nrPages == 0 ? 0 : fast.gupFast(c, start, end);
        c.fastPinned = nrPinned;
        if (nrPinned == nrPages || (flags & Foll.FAST_ONLY.bit()) != 0) {
            return new GupResult(nrPinned, nrPinned, GupResult.Path.FAST, nrPinned == nrPages ? null : c.reason);
        }
        String fastReason = c.reason;
        GupCall s = new GupCall(mm, flags | Foll.TOUCH.bit() | Foll.UNLOCKABLE.bit(), pages, nrPinned);
        long ret = longterm.gupLongtermLocked(s, start + nrPinned * pageSize, nrPages - nrPinned, false);
        String reason = s.reason != null ? s.reason : fastReason;
        if (ret < 0) {
            return new GupResult(nrPinned > 0 ? nrPinned : ret, nrPinned, GupResult.Path.FAST_SLOW, reason,
                    fastReason);
        }
        return new GupResult(ret + nrPinned, nrPinned, GupResult.Path.FAST_SLOW, reason, fastReason);
    }

    // ------------------------------------------------------------------ unpinning

    /** Mirrors {@code unpin_user_page()}. */
    public void unpinUserPage(Page page) {
        Args.notNull(page, "page");
        sched.checkCaller();
        grab.gupPutFolio(page.folio(), 1, Foll.PIN.bit());
    }

    /** Mirrors {@code unpin_user_pages()}: consecutive pages of one folio are released together. */
    public void unpinUserPages(Page[] pages, int npages) {
        unpinUserPagesDirtyLock(pages, npages, false);
    }

    /**
     * Mirrors {@code unpin_user_pages_dirty_lock()}: with {@code makeDirty}, each folio not yet dirty
     * is marked dirty under its lock before the pin is dropped, as after DMA into the pages.
     */
    public void unpinUserPagesDirtyLock(Page[] pages, int npages, boolean makeDirty) {
        Args.notNull(pages, "pages");
        Validate.isTrue(npages >= 0 && npages <= pages.length, "npages must be in [0, pages.length], was %d", npages);
        sched.checkCaller();
        int i = 0;
        while (i < npages) {
            Page p = pages[i];
            if (p == null) {
                i++;
                continue;
            }
            Folio folio = p.folio();
            int nr = 1;
            while (i + nr < npages && pages[i + nr] != null && pages[i + nr].folio() == folio) {
                nr++;
            }
            if (makeDirty && !folio.dirty() && !folio.zero()) {
                MmInternals.setFlag(folio, Folio.PG_LOCKED);
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
                MmInternals.clearFlag(folio, Folio.PG_LOCKED);
            }
            grab.gupPutFolio(folio, nr, Foll.PIN.bit());
            i += nr;
        }
    }

    /** Mirrors {@code put_page()} for pages taken with FOLL_GET. */
    public void putPages(Page[] pages, int npages) {
        Args.notNull(pages, "pages");
        Validate.isTrue(npages >= 0 && npages <= pages.length, "npages must be in [0, pages.length], was %d", npages);
        sched.checkCaller();
        for (int i = 0; i < npages; i++) {
            if (pages[i] != null) {
                grab.gupPutFolio(pages[i].folio(), 1, Foll.GET.bit());
            }
        }
    }
}
