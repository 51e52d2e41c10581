package org.gupsim.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.memmodel.Order;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.util.Args;

/**
 * Physical memory: the {@code mem_map} (one {@link Page} a frame), the zones, the allocator and
 * the folio reference operations. Mirrors mm/page_alloc.c, mm/swap.c and the folio refcount
 * helpers of include/linux/page_ref.h.
 *
 * <p>Layout: pfn 0 is the shared zero page; then ZONE_NORMAL, whose top {@code cmaPages} frames
 * form the CMA area; then ZONE_MOVABLE. Allocation is lowest-address first within the chosen
 * pool, so it is deterministic.
 */
public final class PhysMem {
    /**
     * The largest {@code maxOrder} a machine may be given: {@code 1 << order} frames must stay a
     * positive {@code int}, and {@link MemConfig} caps a machine below 2^30 frames anyway.
     */
    public static final int MAX_ORDER_LIMIT = 29;
    /** The first length of {@code mem_map}'s array, which grows as frames are allocated. */
    private static final int INITIAL_MEMMAP = 64;

    /** Creates the Java object standing for a newly allocated folio (plain folio or page-table page). */
    @FunctionalInterface
    public interface FolioFactory<T extends Folio> {
        T create(int pfn, int order);
    }

    private final MemConfig config;
    private final Sched sched;
    private final int maxOrder;
    /**
     * {@code mem_map}, grown on demand up to {@link #frames}: an exploration boots a fresh machine
     * for every schedule and touches a few dozen frames of its thousands, so a full-size array
     * would be cleared (and pulled through the cache) each time for nothing. Slots at or past its
     * length read as never allocated.
     */
    private Page[] memmap;
    /** Number of frames, zero page included. */
    private final int frames;
    /**
     * One past the highest frame ever given a {@link Page}: frames from here up have never been
     * allocated, so {@link #liveFolios} need not look at them (the allocator hands out the lowest
     * free frames, so this stays near the bottom of a machine's mostly idle memory).
     */
    private int memmapTop = 1;
    private final FramePool normal;
    private final FramePool cma;
    private final FramePool movable;
    private final Folio zeroFolio;
    private final SwapSpace swap;
    private BitSet isolated;
    private boolean failNowait;
    private int failHighuserAfter = -1;

    /**
     * @param config   the frames and zones
     * @param sched    where scheduling points and violations go
     * @param maxOrder the largest order {@link #allocFolio} serves (0..{@link #MAX_ORDER_LIMIT}). The
     *                 kernel's buddy allocator stops at {@code MAX_PAGE_ORDER} (10 by default, more
     *                 where an architecture forces it) and takes gigantic hugetlb pages from a
     *                 contiguous range instead ({@code alloc_contig_pages()}); the model serves both
     *                 from one allocator, so a machine's largest order is that of its
     *                 architecture's largest page (see {@code VmArch#maxPageOrder()})
     */
    public PhysMem(MemConfig config, Sched sched, int maxOrder) {
        Validate.isTrue(maxOrder >= 0 && maxOrder <= MAX_ORDER_LIMIT, "maxOrder must be between 0 and %d, was %d",
                MAX_ORDER_LIMIT, maxOrder);
        this.config = Args.notNull(config, "config");
        this.sched = Args.notNull(sched, "sched");
        this.maxOrder = maxOrder;
        int normalEnd = 1 + config.normalPages();
        int cmaStart = normalEnd - config.cmaPages();
        int total = normalEnd + config.movablePages();
        this.frames = total;
        this.memmap = new Page[Math.min(total, INITIAL_MEMMAP)];
        this.normal = new FramePool(1, cmaStart);
        this.cma = new FramePool(cmaStart, normalEnd);
        this.movable = new FramePool(normalEnd, total);
        this.zeroFolio = new Folio(0, 0);
        zeroFolio.set(Folio.PG_ZERO | Folio.PG_UPTODATE);
        zeroFolio.setRefcount(1);
        memmap[0] = zeroFolio;
        this.swap = new SwapSpace(this, sched, total);
    }

    /** The swap device and swap cache. */
    public SwapSpace swap() {
        return swap;
    }

    public MemConfig config() {
        return config;
    }

    public Sched sched() {
        return sched;
    }

    /** The largest order {@link #allocFolio} serves. */
    public int maxOrder() {
        return maxOrder;
    }

    /** log2 of the base page size. */
    public int pageShift() {
        return config.pageShift();
    }

    /** Mirrors {@code ZERO_PAGE(0)}'s folio. */
    public Folio zeroFolio() {
        return zeroFolio;
    }

    /** Number of frames, zero page included. */
    public int nrFrames() {
        return frames;
    }

    /** Mirrors {@code pfn_valid()}. */
    public boolean pfnValid(long pfn) {
        return pfn >= 0 && pfn < frames;
    }

    /**
     * Mirrors {@code pfn_to_page()}; null for a frame that was never allocated.
     *
     * @throws ArrayIndexOutOfBoundsException for a frame the machine does not have
     */
    public Page pfnToPage(long pfn) {
        int i = (int) pfn;
        if (i >= memmap.length && i < frames) {
            return null;
        }
        return memmap[i];
    }

    /** Mirrors {@code folio_zonenum()}. */
    public Zone zoneOf(int pfn) {
        return movable.contains(pfn) ? Zone.MOVABLE : Zone.NORMAL;
    }

    /** Whether the frame lies in a MIGRATE_CMA pageblock. */
    public boolean isCma(int pfn) {
        return cma.contains(pfn);
    }

    /** Whether the frame lies in a MIGRATE_ISOLATE pageblock. */
    public boolean isIsolated(int pfn) {
        return isolated != null && isolated.get(pfn);
    }

    /** Marks frames as MIGRATE_ISOLATE (as memory offlining or alloc_contig_range do) or back. */
    public void setIsolated(int pfn, int nr, boolean value) {
        Validate.isTrue(pfn >= 0 && nr >= 0 && (long) pfn + nr <= frames, "pfn range out of memory: %d+%d", pfn, nr);
        if (isolated == null) {
            isolated = new BitSet(frames);
        }
        isolated.set(pfn, pfn + nr, value);
    }

    /** Makes {@link Gfp#NOWAIT} allocations fail, as under memory pressure. */
    public void setFailNowait(boolean fail) {
        this.failNowait = fail;
    }

    /** Makes user allocations fail after {@code n} more successes (-1: never), to exercise OOM paths. */
    public void setFailHighuserAfter(int n) {
        this.failHighuserAfter = n;
    }

    /** Free frames in every pool together. */
    public int freeFrames() {
        return normal.free() + cma.free() + movable.free();
    }

    /** Frames that can ever be allocated (the zero page excluded). */
    public int allocatableFrames() {
        return normal.size() + cma.size() + movable.size();
    }

    /** Mirrors {@code folio_alloc()} for a plain folio; null when out of memory. */
    public Folio allocFolio(int order, Gfp gfp) {
        return allocFolio(order, gfp, Folio::new);
    }

    /**
     * Allocates {@code 1 << order} frames and installs the object {@code factory} makes as their
     * folio, with refcount 1. Returns null when no pool allowed by {@code gfp} has room.
     */
    public <T extends Folio> T allocFolio(int order, Gfp gfp, FolioFactory<T> factory) {
        // An if, not Validate: the message names this machine's maxOrder, and building it on every
        // allocation would allocate.
        if (order < 0 || order > maxOrder) {
            throw new IllegalArgumentException("order must be between 0 and " + maxOrder + ", was " + order);
        }
        Args.notNull(gfp, "gfp");
        int pfn = allocFrames(order, gfp);
        if (pfn < 0) {
            return null;
        }
        T folio = factory.create(pfn, order);
        folio.setRefcount(1);
        int top = pfn + (1 << order);
        if (top > memmap.length) {
            memmap = Arrays.copyOf(memmap, Math.min(frames, Math.max(top, 2 * memmap.length)));
        }
        memmap[pfn] = folio;
        for (int i = 1; i < (1 << order); i++) {
            memmap[pfn + i] = new TailPage(pfn + i, folio);
        }
        memmapTop = Math.max(memmapTop, top);
        return folio;
    }

    private int allocFrames(int order, Gfp gfp) {
        switch (gfp) {
            case NOWAIT:
                if (failNowait) {
                    return -1;
                }
                return normal.alloc(order);
            case KERNEL:
                return normal.alloc(order);
            case HIGHUSER:
                if (!userAllocationAllowed()) {
                    return -1;
                }
                return normal.alloc(order);
            case HIGHUSER_MOVABLE:
            default:
                if (!userAllocationAllowed()) {
                    return -1;
                }
                // Movable allocations prefer ZONE_MOVABLE (highest zone first in the zonelist);
                // CMA pageblocks are a fallback for them, or first choice when configured so.
                int pfn = movable.alloc(order);
                if (pfn >= 0) {
                    return pfn;
                }
                if (config.userInCmaFirst()) {
                    pfn = cma.alloc(order);
                    return pfn >= 0 ? pfn : normal.alloc(order);
                }
                pfn = normal.alloc(order);
                return pfn >= 0 ? pfn : cma.alloc(order);
        }
    }

    private boolean userAllocationAllowed() {
        if (failHighuserAfter == 0) {
            return false;
        }
        if (failHighuserAfter > 0) {
            failHighuserAfter--;
        }
        return true;
    }

    /**
     * Frees a folio whose last reference went away. Mirrors {@code free_unref_folios()} /
     * {@code __free_pages()}: a folio still mapped here is a "bad page state" bug. Not API: the
     * model's other packages call it through {@code MmInternals.freeFolio}; a user drops
     * references with {@link #folioPut}.
     */
    void freeFolio(Folio folio) {
        if (folio.zero()) {
            sched.report(new Violation(ViolationKind.BUG_ON, "attempt to free the zero page"));
            return;
        }
        if (folio.freed()) {
            sched.report(Violation.useAfterFree(Violation.FOLIO, "double free of " + folio));
            return;
        }
        if (folio.mapcount() != 0) {
            sched.report(new Violation(ViolationKind.BUG_ON,
                    "bad page state: " + folio + " freed with mapcount " + folio.mapcount()));
        }
        if (folio.swapcache()) {
            sched.report(new Violation(ViolationKind.BUG_ON, "bad page state: " + folio + " freed in the swap cache"));
        }
        sched.point(folio, Access.FREE, "free_unref_folios");
        folio.set(Folio.PG_FREED);
        folio.clear(Folio.PG_LRU | Folio.PG_DIRTY | Folio.PG_LOCKED);
        int pfn = folio.pfn();
        poolOf(pfn).release(pfn, folio.order());
    }

    private FramePool poolOf(int pfn) {
        if (movable.contains(pfn)) {
            return movable;
        }
        return cma.contains(pfn) ? cma : normal;
    }

    private void checkLive(Folio folio, String function) {
        if (folio.freed()) {
            sched.report(Violation.useAfterFree(Violation.FOLIO, function + " on freed " + folio));
        }
    }

    /** Mirrors {@code folio_get()}. */
    public void folioGet(Folio folio) {
        folioRefAdd(folio, 1);
    }

    /** Mirrors {@code folio_ref_add()}. */
    public void folioRefAdd(Folio folio, int refs) {
        // atomic_add(): returns nothing and orders nothing
        sched.point(folio, -1, Access.RMW, Order.RELAXED, "folio_ref_add", folio, Folio.FIELD_REFCOUNT);
        checkLive(folio, "folio_ref_add");
        folio.setRefcount(folio.refcount() + refs);
    }

    /**
     * Mirrors {@code folio_ref_try_add()}: takes {@code refs} references unless the count is zero
     * (the folio is being freed or is free). Speculative lookups rely on this: a free frame's
     * struct page stays readable, so failing here is safe and is not a use-after-free.
     */
    public boolean folioRefTryAdd(Folio folio, int refs) {
        // atomic_add_unless(): fully ordered when it adds; a failure is a read (taken as ordered too)
        sched.point(folio, -1, Access.RMW, Order.FULL, "folio_ref_try_add", folio, Folio.FIELD_REFCOUNT);
        int count = folio.refcount();
        if (count == 0) {
            return false;
        }
        folio.setRefcount(count + refs);
        return true;
    }

    /** Mirrors {@code folio_put()}. */
    public void folioPut(Folio folio) {
        folioPutRefs(folio, 1);
    }

    /** Mirrors {@code folio_put_refs()}: frees the folio when the last reference goes. */
    public void folioPutRefs(Folio folio, int refs) {
        // folio_ref_sub_and_test(): value-returning, fully ordered
        sched.point(folio, -1, Access.RMW, Order.FULL, "folio_put_refs", folio, Folio.FIELD_REFCOUNT);
        if (folio.zero()) {
            return;
        }
        checkLive(folio, "folio_put_refs");
        int count = folio.refcount() - refs;
        if (count < 0) {
            sched.report(new Violation(ViolationKind.REFCOUNT_UNDERFLOW,
                    folio + " refcount " + folio.refcount() + " dropped by " + refs));
            return;
        }
        folio.setRefcount(count);
        if (count == 0) {
            freeFolio(folio);
        }
    }

    /** Adds to a large folio's {@code _pincount} (atomic_add). */
    void folioPincountAdd(Folio folio, int refs) {
        sched.point(folio, -1, Access.RMW, Order.RELAXED, "atomic_add(_pincount)", folio, Folio.FIELD_PINCOUNT);
        folio.setPincount(folio.pincount() + refs);
    }

    /** Subtracts from a large folio's {@code _pincount}; going below zero is a double unpin. */
    boolean folioPincountSub(Folio folio, int refs) {
        sched.point(folio, -1, Access.RMW, Order.RELAXED, "atomic_sub(_pincount)", folio, Folio.FIELD_PINCOUNT);
        int count = folio.pincount() - refs;
        if (count < 0) {
            sched.report(new Violation(ViolationKind.PINCOUNT_UNDERFLOW,
                    folio + " _pincount " + folio.pincount() + " dropped by " + refs));
            return false;
        }
        folio.setPincount(count);
        return true;
    }

    /** Adds to the map count when a page-table entry starts mapping the folio. */
    void folioMapcountAdd(Folio folio, int delta) {
        sched.point(folio, Access.RMW, "folio_mapcount");
        int count = folio.mapcount() + delta;
        if (count < 0) {
            sched.report(new Violation(ViolationKind.BUG_ON, folio + " mapcount went negative"));
            return;
        }
        folio.setMapcount(count);
    }

    /**
     * Mirrors {@code folio_ref_freeze(folio, count)}: the count drops to zero if it is exactly
     * {@code count}, so that no speculative reference ({@code folio_try_get()}, GUP-fast's grab)
     * can be taken any more; reclaim and migration use it to be sure they hold the only references.
     */
    public boolean folioRefFreeze(Folio folio, int count) {
        sched.point(folio, Access.RMW, "folio_ref_freeze");
        if (folio.refcount() != count) {
            return false;
        }
        folio.setRefcount(0);
        return true;
    }

    /**
     * Mirrors {@code folio_ref_unfreeze(folio, count)}: {@code atomic_set_release()} of the count, a
     * release store (include/linux/page_ref.h), not a read-modify-write: under a weak memory model
     * the stores before it are visible first, while later loads may pass it. The explorer still
     * sees the whole folio ({@code index -1}) as before.
     */
    public void folioRefUnfreeze(Folio folio, int count) {
        sched.point(folio, -1, Access.WRITE, Order.RELEASE, "folio_ref_unfreeze", folio, Folio.FIELD_REFCOUNT);
        folio.setRefcount(count);
    }

    /** Mirrors {@code folio_ref_count()} as a read other CPUs' grabs and puts race with. */
    public int folioRefCount(Folio folio) {
        sched.point(folio, -1, Access.READ, Order.RELAXED, "folio_ref_count", folio, Folio.FIELD_REFCOUNT);
        return (int) sched.load(folio, Folio.FIELD_REFCOUNT, folio.refcount());
    }

    /**
     * Mirrors {@code folio_maybe_dma_pinned()} as a read of the folio's counts that a concurrent
     * GUP-fast's grab races with (see {@link Folio#maybeDmaPinned()}).
     */
    public boolean folioMaybeDmaPinned(Folio folio) {
        int field = folio.large() ? Folio.FIELD_PINCOUNT : Folio.FIELD_REFCOUNT;
        sched.point(folio, -1, Access.READ, Order.RELAXED, "folio_maybe_dma_pinned", folio, field);
        long count = sched.load(folio, field, folio.weakValue(field));
        return folio.large() ? count > 0 : count >= Folio.GUP_PIN_COUNTING_BIAS;
    }

    /**
     * Mirrors {@code ClearPageAnonExclusive()} where GUP-fast may read the flag at the same time
     * ({@code __folio_try_share_anon_rmap()}): an atomic {@code clear_bit()}, which returns nothing
     * and orders nothing, so a weak memory model may keep it in the store buffer while the CPU goes
     * on (088b8aa537c2 follows it with {@code smp_mb__after_atomic()} for that reason). A scheduling
     * point on the page's flags word; direct mode makes no point and allocates nothing.
     */
    void clearPageAnonExclusive(Page page) {
        if (sched.explored()) {
            sched.point(page.flagsKey(), -1, Access.RMW, Order.RELAXED, "ClearPageAnonExclusive", page,
                    Page.FIELD_PAGE_FLAGS);
        }
        page.clearPageFlag(Page.PG_ANON_EXCLUSIVE);
    }

    /**
     * Mirrors {@code PageAnonExclusive()} as {@code gup_must_unshare()} reads it, without the PT
     * lock on GUP-fast's side: a plain load of {@code page->flags} other CPUs' clears race with,
     * a read point followed by {@link Sched#load}.
     */
    public boolean pageAnonExclusive(Page page) {
        if (!sched.explored()) {
            return page.pageAnonExclusive();
        }
        sched.point(page.flagsKey(), -1, Access.READ, Order.RELAXED, "PageAnonExclusive", page,
                Page.FIELD_PAGE_FLAGS);
        return (sched.load(page, Page.FIELD_PAGE_FLAGS, page.weakValue(Page.FIELD_PAGE_FLAGS))
                & Page.PG_ANON_EXCLUSIVE) != 0;
    }

    /**
     * Mirrors {@code folio_lock()}: waits until no one holds the folio lock ({@code PG_locked}),
     * then takes it. Page-cache lookups that map a folio take it, which is how they wait for
     * truncation and for khugepaged's {@code collapse_file()}, which hold it while they replace
     * the folio.
     */
    public void folioLock(Folio folio) {
        sched.waitUntil(folio, -1, Access.ACQUIRE, "folio_lock", () -> !folio.test(Folio.PG_LOCKED),
                "the lock of " + folio);
        folio.set(Folio.PG_LOCKED);
    }

    /** Mirrors {@code folio_trylock()}. */
    public boolean folioTrylock(Folio folio) {
        sched.point(folio, Access.ACQUIRE, "folio_trylock");
        if (folio.test(Folio.PG_LOCKED)) {
            return false;
        }
        folio.set(Folio.PG_LOCKED);
        return true;
    }

    /** Mirrors {@code folio_unlock()}. */
    public void folioUnlock(Folio folio) {
        sched.point(folio, Access.RELEASE, "folio_unlock");
        folio.clear(Folio.PG_LOCKED);
    }

    /** Mirrors {@code READ_ONCE(folio->mapping)}. */
    public FolioMapping readMapping(Folio folio) {
        sched.point(folio, Access.READ, "READ_ONCE(folio->mapping)");
        return folio.mapping();
    }

    /**
     * Mirrors {@code folio_is_longterm_pinnable()} (include/linux/mm.h): the zero page yes; CMA or
     * isolated pageblocks no; device-coherent and fsdax memory no; otherwise anything outside
     * ZONE_MOVABLE.
     */
    public boolean folioIsLongtermPinnable(Folio folio) {
        if (folio.zero()) {
            return true;
        }
        int pfn = folio.pfn();
        if (isCma(pfn) || isIsolated(pfn)) {
            return false;
        }
        if (folio.test(Folio.PG_DEVICE_COHERENT) || folio.test(Folio.PG_FSDAX)) {
            return false;
        }
        return zoneOf(pfn) != Zone.MOVABLE;
    }

    /** Every allocated folio, in pfn order (used by leak checks and tests). */
    public List<Folio> liveFolios() {
        List<Folio> out = new ArrayList<>();
        for (int pfn = 1; pfn < memmapTop; pfn++) {
            if (memmap[pfn] instanceof Folio f && !f.freed()) {
                out.add(f);
            }
        }
        return out;
    }
}
