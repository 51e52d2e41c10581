package org.gupsim.gup;

import org.gupsim.memmodel.Primitive;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.vm.AnonFeatures;

/**
 * Taking and dropping GUP references. Mirrors mm/gup.c {@code try_get_folio()},
 * {@code try_grab_folio_fast()}, {@code try_grab_folio()} and {@code gup_put_folio()}.
 *
 * <p>FOLL_GET adds plain references. FOLL_PIN on a small folio adds
 * {@link Folio#GUP_PIN_COUNTING_BIAS} references, so that {@code folio_maybe_dma_pinned()} can
 * tell a pinned page from an ordinarily referenced one without another field; on a large folio it
 * adds one reference and counts the pin exactly in {@code _pincount}. The zero page is never
 * pinned: pin and unpin both leave it alone.
 */
final class Grab {
    private final PhysMem mem;
    private final Gup gup;
    /** 088b8aa537c2's barrier after the pin ({@link AnonFeatures#ANON_EXCLUSIVE_BARRIERS}). */
    private final boolean anonExclusiveBarriers;
    /** Why the last {@link #tryGrabFolioFast} returned null (a constant, for reports). */
    String whyNull;

    Grab(Gup gup, PhysMem mem) {
        this.gup = gup;
        this.mem = mem;
        this.anonExclusiveBarriers = gup.kernel().get(AnonFeatures.ANON_EXCLUSIVE_BARRIERS);
    }

    /**
     * Mirrors {@code try_get_folio()}: a speculative reference, safe on a page that is being freed
     * because {@code folio_ref_try_add()} fails on a zero count. If the page changed folio under
     * us (a concurrent split), the reference is dropped and the lookup retried.
     */
    Folio tryGetFolio(Page page, int refs) {
        while (true) {
            Folio folio = page.folio();
            if (folio.refcount() < 0) {
                return null;
            }
            if (!mem.folioRefTryAdd(folio, refs)) {
                return null;
            }
            if (page.folio() != folio) {
                mem.folioPutRefs(folio, refs);
                continue;
            }
            return folio;
        }
    }

    /**
     * Mirrors {@code try_grab_folio_fast()} (GUP-fast). The long-term write-pin check of the v6
     * and v7 postings ran in here, after the reference and before the caller's PTE recheck:
     * the {@code checks} a kernel places here ({@link GupFastFolioCheck.Placement#IN_TRY_GRAB}).
     */
    Folio tryGrabFolioFast(Page page, int refs, int flags, GupFastFolioCheck[] checks, GupFastPrimitives k) {
        if ((flags & (Foll.GET.bit() | Foll.PIN.bit())) == 0) {
            whyNull = "GUP-fast: neither FOLL_GET nor FOLL_PIN";
            return null;
        }
        Folio head = page.folio();
        if ((flags & Foll.PCI_P2PDMA.bit()) == 0 && head.test(Folio.PG_P2PDMA)) {
            whyNull = "GUP-fast: P2PDMA page without FOLL_PCI_P2PDMA";
            return null;
        }
        if ((flags & Foll.GET.bit()) != 0) {
            Folio f = tryGetFolio(page, refs);
            whyNull = f == null ? "GUP-fast: folio refcount was zero (being freed)" : null;
            return f;
        }
        if (head.zero()) {
            return head;
        }
        Folio folio = tryGetFolio(page, refs);
        if (folio == null) {
            whyNull = "GUP-fast: folio refcount was zero (being freed)";
            return null;
        }
        // Can't do FOLL_LONGTERM + FOLL_PIN in the fast path if the folio sits in a movable zone
        // or CMA: the slow path must migrate it first.
        if ((flags & Foll.LONGTERM.bit()) != 0 && !gup.folioIsLongtermPinnable(folio)) {
            mem.folioPutRefs(folio, refs);
            whyNull = "GUP-fast: folio not long-term pinnable (ZONE_MOVABLE or CMA), needs migration";
            return null;
        }
        for (GupFastFolioCheck check : checks) {
            if (!check.allowed(folio, flags, k)) {
                mem.folioPutRefs(folio, refs);
                whyNull = check.refusal();
                return null;
            }
        }
        if (folio.large()) {
            MmInternals.folioPincountAdd(mem, folio, refs);
        } else {
            mem.folioRefAdd(folio, refs * (Folio.GUP_PIN_COUNTING_BIAS - 1));
        }
        // 088b8aa537c2: the pin count is adjusted with a non-returning, unordered atomic; the
        // caller's PTE recheck must not be satisfied before the count is visible, or an unmapper
        // that cleared the PTE and then saw no pin (folio_try_share_anon_rmap(), whose smp_mb()
        // pairs with this) clears PageAnonExclusive under a pin: store buffering. "This is
        // essentially a smp_mb()" (the commit's comment): nothing on x86, where the atomic is
        // lock-prefixed; dmb ish on arm64, sync on powerpc.
        if (anonExclusiveBarriers) {
            mem.sched().fence(Primitive.MB_AFTER_ATOMIC, "try_grab_folio_fast");
        }
        gup.countPinned(refs);
        return folio;
    }

    /**
     * Mirrors {@code try_grab_folio()} (slow path, folio already stable under the PTE lock).
     *
     * @return null on success, or the errno
     */
    Errno tryGrabFolio(Folio folio, int refs, int flags) {
        if (folio.refcount() <= 0 && !folio.zero()) {
            return Errno.ENOMEM;
        }
        if ((flags & Foll.PCI_P2PDMA.bit()) == 0 && folio.test(Folio.PG_P2PDMA)) {
            return Errno.EREMOTEIO;
        }
        if ((flags & Foll.GET.bit()) != 0) {
            mem.folioRefAdd(folio, refs);
        } else if ((flags & Foll.PIN.bit()) != 0) {
            if (folio.zero()) {
                return null;
            }
            if (folio.large()) {
                mem.folioRefAdd(folio, refs);
                MmInternals.folioPincountAdd(mem, folio, refs);
            } else {
                mem.folioRefAdd(folio, refs * Folio.GUP_PIN_COUNTING_BIAS);
            }
            gup.countPinned(refs);
        }
        return null;
    }

    /** Mirrors {@code gup_put_folio()}: undoes {@code refs} grabs of the kind {@code flags} names. */
    void gupPutFolio(Folio folio, int refs, int flags) {
        if ((flags & Foll.PIN.bit()) != 0) {
            if (folio.zero()) {
                return;
            }
            gup.countUnpinned(refs);
            if (folio.large()) {
                if (!MmInternals.folioPincountSub(mem, folio, refs)) {
                    return;
                }
            } else {
                refs *= Folio.GUP_PIN_COUNTING_BIAS;
            }
        }
        mem.folioPutRefs(folio, refs);
    }
}
