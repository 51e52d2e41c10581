package org.gupsim.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * One swap device and the swap cache in front of it. Mirrors mm/swapfile.c (slot allocation,
 * {@code swap_map} counts: {@code swap_duplicate()}, {@code swap_free()},
 * {@code free_swap_and_cache()}) and mm/swap_state.c ({@code add_to_swap()},
 * {@code add_to_swap_cache()}, {@code delete_from_swap_cache()}, {@code folio_free_swap()},
 * {@code free_swap_cache()}, the swap cache lookup).
 *
 * <p>A slot's count is the number of swap PTEs naming it, plus {@code SWAP_HAS_CACHE} while a
 * folio for it sits in the swap cache; the slot is free when both are gone. A folio in the swap
 * cache holds one reference for the cache ({@link Folio#PG_SWAPCACHE}, {@link Folio#swap()}).
 * Slot 0 holds the swap header and is never handed out. Slots are handed out lowest first, so a
 * run is deterministic; the device is as large as memory. Every access is a scheduling point on
 * this object at the slot's index; the contents of swapped pages are not modelled.
 */
public final class SwapSpace {
    /** {@code SWAP_HAS_CACHE}: the slot's folio is in the swap cache. */
    private static final int SWAP_HAS_CACHE = 0x40;

    private final PhysMem mem;
    private final Sched sched;
    private final int nrSlots;
    private final BitSet used = new BitSet();
    private int[] swapMap = new int[16];
    private Folio[] cache = new Folio[16];

    SwapSpace(PhysMem mem, Sched sched, int nrSlots) {
        this.mem = mem;
        this.sched = sched;
        this.nrSlots = nrSlots;
        used.set(0);
    }

    private void grow(long offset) {
        if (offset >= swapMap.length) {
            int n = (int) Math.min(nrSlots, Math.max(offset + 1, 2L * swapMap.length));
            swapMap = Arrays.copyOf(swapMap, n);
            cache = Arrays.copyOf(cache, n);
        }
    }

    private int idx(long offset) {
        Validate.isTrue(offset > 0 && offset < nrSlots, "offset must be a slot in [1, %d), was %d", nrSlots, offset);
        return (int) offset;
    }

    /**
     * Mirrors {@code add_to_swap()}: a slot for {@code folio} ({@code folio_alloc_swap()}, its
     * count {@code SWAP_HAS_CACHE}), the folio added to the swap cache there
     * ({@code add_to_swap_cache()}: one more reference, {@code PG_swapcache}, {@code folio->swap})
     * and marked dirty, so that reclaim writes it out. The caller holds the folio lock.
     *
     * @return false if the device is full
     */
    boolean addToSwap(Folio folio) {
        int offset = used.nextClearBit(1);
        if (offset >= nrSlots) {
            return false;
        }
        sched.point(this, offset, Access.RMW, "folio_alloc_swap");
        used.set(offset);
        grow(offset);
        swapMap[offset] = SWAP_HAS_CACHE;
        cache[offset] = folio;
        mem.folioRefAdd(folio, folio.nrPages());
        folio.set(Folio.PG_SWAPCACHE | Folio.PG_DIRTY);
        folio.setSwap(offset);
        return true;
    }

    /**
     * Mirrors {@code swapcache_prepare()} and {@code add_to_swap_cache()} as swap-in's
     * {@code __read_swap_cache_async()} uses them: a new folio read from slot {@code offset} joins
     * the swap cache there (one more reference, {@code SWAP_HAS_CACHE} on the slot). The caller
     * holds the folio lock and has checked that the slot has no cached folio.
     *
     * @return false if the slot already has one (someone else is reading it in)
     */
    boolean addToSwapCache(Folio folio, long offset) {
        int i = idx(offset);
        sched.point(this, i, Access.RMW, "swapcache_prepare");
        if (!used.get(i) || (swapMap[i] & SWAP_HAS_CACHE) != 0) {
            return false;
        }
        swapMap[i] |= SWAP_HAS_CACHE;
        cache[i] = folio;
        mem.folioRefAdd(folio, folio.nrPages());
        folio.set(Folio.PG_SWAPCACHE | Folio.PG_SWAPBACKED);
        folio.setSwap(offset);
        return true;
    }

    /**
     * Mirrors {@code filemap_get_folio(swap_address_space(entry), ...)} as
     * {@code swap_cache_get_folio()} does it: the folio cached for {@code offset}, with a reference
     * taken, or null.
     */
    public Folio swapCacheGetFolio(long offset) {
        int i = idx(offset);
        while (true) {
            sched.point(this, i, Access.READ, "swap_cache_get_folio");
            Folio f = i < cache.length ? cache[i] : null;
            if (f == null || mem.folioRefTryAdd(f, 1)) {
                return f;
            }
            // filemap_get_entry(): folio_try_get() failed, so the folio is frozen: reclaim's
            // __remove_mapping() or migration is taking it out of the cache. The kernel looks
            // again ("goto repeat") until the freeze is over; the model waits for that. The
            // change can come from the cache slot or the folio's count: the wait names neither.
            sched.waitUntil(() -> cache[i] != f || f.refcount() != 0, "a frozen swap-cache folio to be released");
        }
    }

    /** The folio cached for {@code offset}, without a reference or a scheduling point (for checkers). */
    public Folio peek(long offset) {
        return offset > 0 && offset < cache.length ? cache[(int) offset] : null;
    }

    /** Mirrors {@code __swap_count()}: how many swap PTEs name the slot. */
    public int swapCount(long offset) {
        int i = idx(offset);
        sched.point(this, i, Access.READ, "__swap_count");
        return i < swapMap.length ? swapMap[i] & ~SWAP_HAS_CACHE : 0;
    }

    /** Mirrors {@code swap_duplicate()}: one more swap PTE names the slot (fork, unmapping). */
    void swapDuplicate(long offset) {
        int i = idx(offset);
        sched.point(this, i, Access.RMW, "swap_duplicate");
        if (!used.get(i)) {
            sched.report(new Violation(ViolationKind.BUG_ON, "swap_duplicate of free swap slot " + offset));
            return;
        }
        swapMap[i]++;
    }

    /** Mirrors {@code swap_free()}: one swap PTE fewer; the slot is free once nothing holds it. */
    void swapFree(long offset) {
        int i = idx(offset);
        sched.point(this, i, Access.RMW, "swap_free");
        drop(i, 1);
    }

    private void drop(int i, int what) {
        int count = i < swapMap.length ? swapMap[i] : 0;
        if (what == SWAP_HAS_CACHE ? (count & SWAP_HAS_CACHE) == 0 : (count & ~SWAP_HAS_CACHE) == 0) {
            sched.report(new Violation(ViolationKind.BUG_ON, "swap slot " + i + " count underflow"));
            return;
        }
        swapMap[i] = count - what;
        if (swapMap[i] == 0) {
            used.clear(i);
        }
    }

    /**
     * Mirrors {@code __delete_from_swap_cache()} and {@code put_swap_folio()}: the folio leaves the
     * swap cache and the slot loses {@code SWAP_HAS_CACHE}. With {@code dropRef} the cache's
     * reference goes too, as {@code delete_from_swap_cache()} drops it; {@code __remove_mapping()}
     * has frozen the count to zero instead. The caller holds the folio lock.
     */
    void deleteFromSwapCache(Folio folio, boolean dropRef) {
        int i = idx(folio.swap());
        sched.point(this, i, Access.RMW, "__delete_from_swap_cache");
        cache[i] = null;
        folio.clear(Folio.PG_SWAPCACHE);
        folio.setSwap(0);
        drop(i, SWAP_HAS_CACHE);
        if (dropRef) {
            mem.folioRefAdd(folio, -folio.nrPages());
        }
    }

    /**
     * Mirrors the swap-cache half of {@code folio_migrate_mapping()}: {@code dst} takes
     * {@code src}'s slot in the swap cache, with the cache's reference; {@code src} leaves it (its
     * reference count is frozen by the caller).
     */
    void replaceSwapCacheFolio(Folio src, Folio dst) {
        int i = idx(src.swap());
        sched.point(this, i, Access.WRITE, "folio_migrate_mapping");
        cache[i] = dst;
        dst.set(Folio.PG_SWAPCACHE);
        dst.setSwap(src.swap());
        mem.folioRefAdd(dst, dst.nrPages());
        src.clear(Folio.PG_SWAPCACHE);
        src.setSwap(0);
    }

    /**
     * Mirrors {@code folio_free_swap()}: a swap-cache folio whose slot no swap PTE names any more
     * leaves the cache (and is marked dirty: its only copy is now in memory). The caller holds the
     * folio lock.
     *
     * @return whether it left the cache
     */
    boolean folioFreeSwap(Folio folio) {
        if (!folio.swapcache() || folio.test(Folio.PG_WRITEBACK)) {
            return false;
        }
        if (swapCount(folio.swap()) != 0) {
            return false;
        }
        deleteFromSwapCache(folio, true);
        folio.set(Folio.PG_DIRTY);
        return true;
    }

    /**
     * Mirrors {@code free_swap_cache()}, which {@code free_pages_and_swap_cache()} runs on every
     * page an unmap releases: a swap-cache folio nothing maps any more leaves the cache if its
     * slot is unused and its lock can be had. The caller holds a reference.
     */
    void freeSwapCache(Folio folio) {
        if (folio.swapcache() && folio.mapcount() == 0 && mem.folioTrylock(folio)) {
            folioFreeSwap(folio);
            mem.folioUnlock(folio);
        }
    }

    /**
     * Mirrors {@code free_swap_and_cache_nr()} for one slot, as zapping a swap PTE does: the PTE's
     * count goes; if that was the last and a folio is still cached for the slot, it is reclaimed
     * from the cache when nothing maps it ({@code __try_to_reclaim_swap(TTRS_UNMAPPED)}).
     */
    void freeSwapAndCache(long offset) {
        swapFree(offset);
        int i = (int) offset;
        if (i >= cache.length || cache[i] == null || swapCount(offset) != 0) {
            return;
        }
        // __try_to_reclaim_swap(): with a reference of its own, as the cache lookup takes one.
        Folio f = swapCacheGetFolio(offset);
        if (f != null) {
            freeSwapCache(f);
            mem.folioPut(f);
        }
    }

    /** The folios in the swap cache, in slot order (deterministic), for reclaim at teardown. */
    public List<Folio> cachedFolios() {
        List<Folio> out = new ArrayList<>();
        for (Folio f : cache) {
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** Slots in use (held by swap PTEs or the cache), for the teardown check. */
    public int slotsInUse() {
        return used.cardinality() - 1;
    }

    @Override
    public String toString() {
        return "swap";
    }
}
