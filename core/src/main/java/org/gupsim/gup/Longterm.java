package org.gupsim.gup;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.vm.Migrate;

/**
 * FOLL_LONGTERM in the slow path. Mirrors mm/gup.c {@code __gup_longterm_locked()},
 * {@code check_and_migrate_movable_pages()}, {@code collect_longterm_unpinnable_folios()} and
 * {@code migrate_longterm_unpinnable_folios()}.
 *
 * <p>A long-term pin must not sit in memory that has to stay movable (ZONE_MOVABLE, CMA, isolated
 * pageblocks) or in device memory that must stay evictable. So the pages are pinned first, then
 * checked; if any is unsuitable, every pin of the call is dropped, the unsuitable folios are
 * migrated to ordinary memory, and the whole range is pinned again. A folio that cannot be
 * migrated (someone else holds it, or no memory) fails the call with -ENOMEM (-EBUSY for
 * device-coherent memory) and no pin is left behind.
 */
record Longterm(Gup gup, GupSlow slow, Grab grab, Migrate migrate) {
    /** The kernel loops while -EAGAIN; this bound only turns a model bug into an error. */
    private static final int MAX_ROUNDS = 1000;

    /** Mirrors {@code __gup_longterm_locked()}. */
    long gupLongtermLocked(GupCall c, long start, int nrPages, boolean lockHeld) {
        if (!c.has(Foll.LONGTERM)) {
            return slow.getUserPagesLocked(c, start, nrPages, lockHeld);
        }
        long rc;
        int rounds = 0;
        do {
            long nr = slow.getUserPagesLocked(c, start, nrPages, lockHeld);
            if (nr <= 0) {
                return nr;
            }
            rc = checkAndMigrateMovablePages(c, (int) nr);
            if (rc == 0) {
                return nr;
            }
        } while (rc == Errno.EAGAIN.negative() && ++rounds < MAX_ROUNDS);
        if (rc == Errno.EAGAIN.negative()) {
            throw new IllegalStateException("FOLL_LONGTERM migration did not converge after " + MAX_ROUNDS + " rounds");
        }
        return rc;
    }

    /**
     * Mirrors {@code check_and_migrate_movable_pages()}: 0 if every pinned folio may stay pinned,
     * -EAGAIN after a successful migration (pins dropped, pin again), or the error.
     */
    private long checkAndMigrateMovablePages(GupCall c, int nr) {
        List<Folio> collected = new ArrayList<>();
        Folio prev = null;
        for (int i = 0; i < nr; i++) {
            Folio folio = c.pages[c.pagesOff + i].folio();
            if (folio == prev) {
                continue;
            }
            prev = folio;
            if (gup.folioIsLongtermPinnable(folio) || collected.contains(folio)) {
                continue;
            }
            collected.add(folio);
        }
        if (collected.isEmpty()) {
            return 0;
        }
        // migrate_longterm_unpinnable_folios(): drop every pin of this call, then migrate.
        for (int i = 0; i < nr; i++) {
            Page p = c.pages[c.pagesOff + i];
            grab.gupPutFolio(p.folio(), 1, c.flags);
            c.pages[c.pagesOff + i] = null;
        }
        for (Folio folio : collected) {
            if (folio.test(Folio.PG_DEVICE_COHERENT)) {
                c.stop("FOLL_LONGTERM: device-coherent memory could not be migrated");
                return Errno.EBUSY.negative();
            }
            if (migrate.migrateFolio(folio) == null) {
                c.stop("FOLL_LONGTERM: could not migrate a folio out of ZONE_MOVABLE/CMA "
                        + "(other references, or no memory to migrate to)");
                return Errno.ENOMEM.negative();
            }
        }
        return Errno.EAGAIN.negative();
    }
}
