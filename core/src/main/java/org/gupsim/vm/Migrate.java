package org.gupsim.vm;

import org.apache.commons.lang3.Validate;
import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.internal.FsInternals;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.util.Args;

/**
 * Moving a mapped folio's contents to a new frame. Mirrors mm/migrate.c {@code migrate_pages()}
 * for one folio: {@code migrate_folio_unmap()} ({@code try_to_migrate()}: every PTE becomes a
 * migration entry), {@code migrate_folio_move()} ({@code move_to_new_folio()} →
 * {@code __migrate_folio()} with its reference check and {@code folio_migrate_mapping()}'s freeze,
 * then {@code remove_migration_ptes()} pointing the entries at the new folio), or, if anyone else
 * still holds a reference, {@code remove_migration_ptes()} back to the old one; -EAGAIN is
 * retried as the kernel does ({@code NR_MAX_MIGRATE_PAGES_RETRY}). Used by compaction-like
 * callers and by FOLL_LONGTERM GUP, whose target comes from memory that may be pinned long-term
 * ({@code alloc_migration_target()}: ZONE_NORMAL outside CMA).
 *
 * <p>Why a pinned page is never migrated: the reference check counts exactly the isolation
 * reference (plus the page cache's, frozen for a cache folio), and a pin holds more; a GUP-fast
 * that had grabbed the page before the PTE became a migration entry either still holds that
 * reference (the check fails) or saw the entry change when it rechecked and let go. An anonymous
 * page also refuses to be made shared while it may be pinned
 * ({@link Rmap#folioTryShareAnonRmapPte}), before the check is reached. A migration entry
 * remembers whether the page was writable or exclusive, so the page comes back as it was.
 */
public final class Migrate extends VmPart {
    /** {@code NR_MAX_MIGRATE_PAGES_RETRY}: passes over a folio that keeps failing with -EAGAIN. */
    static final int NR_MAX_MIGRATE_PAGES_RETRY = 10;
    /**
     * {@code NR_MAX_MIGRATE_ASYNC_RETRY}: the passes of an asynchronous migration, as compaction
     * makes (UNCONFIRMED: 3 as remembered from the 6.3 batching rework of mm/migrate.c).
     */
    public static final int NR_MAX_MIGRATE_ASYNC_RETRY = 3;

    public Migrate(Vm vm) {
        super(Args.notNull(vm, "vm"));
    }

    /**
     * Mirrors {@code folio_expected_refs()}: the references a folio under migration has when
     * nobody but the migration holds it: the isolation reference, and for a page-cache or
     * swap-cache folio the cache's.
     */
    static int folioExpectedRefs(Folio folio) {
        return 1 + (folio.mapping() instanceof AddressSpace || folio.swapcache() ? folio.nrPages() : 0);
    }

    /**
     * Migrates {@code folio} to a newly allocated frame: isolated from the LRU
     * ({@code folio_isolate_lru()}: a reference for the migration), unmapped to migration entries,
     * moved, and mapped again; the old frame is freed. Fails, leaving the folio as it was, when
     * someone else holds a reference (a pin) or no target frame is free.
     *
     * @return the new folio, or null on failure
     */
    public Folio migrateFolio(Folio folio) {
        checkFolio(folio);
        if (folio.freed() || folio.zero() || folio.large() && folio.mapcount() > 0 && !folio.hugetlb()) {
            return null;
        }
        mem.folioGet(folio);
        return migratePages(folio, NR_MAX_MIGRATE_PAGES_RETRY);
    }

    /**
     * Compaction's migration of the folio at a frame it scanned: mirrors
     * {@code isolate_migratepages_block()} (a speculative reference, and its racy check that an
     * anonymous folio with more references than mappings is pinned, so migration would fail) and
     * then an asynchronous {@code migrate_pages()} of at most {@code passes} passes
     * ({@link #NR_MAX_MIGRATE_ASYNC_RETRY} in the kernel; every pass makes the same decisions
     * again, so fewer keep an exploration small).
     *
     * @return the new folio, or null if the folio was skipped or could not be migrated
     */
    public Folio compactFolio(Folio folio, int passes) {
        checkFolio(folio);
        Validate.isTrue(passes >= 1 && passes <= NR_MAX_MIGRATE_ASYNC_RETRY, "passes must be between 1 and %d, was %d",
                NR_MAX_MIGRATE_ASYNC_RETRY, passes);
        if (folio.zero() || !mem.folioRefTryAdd(folio, 1)) {
            return null;
        }
        if (folio.large() || folio.mapping() == null || folio.anon() && !folio.swapcache()
                && mem.folioRefCount(folio) - 1 > folio.mapcount()) {
            // "Migration will fail if an anonymous page is pinned in memory, so avoid taking
            // lru_lock and isolating it unnecessarily in an admittedly racy check."
            mem.folioPut(folio);
            return null;
        }
        return migratePages(folio, passes);
    }

    /**
     * The Java-level guard of the two entry points, once per call: the machine's driving thread and
     * a machine not torn down ({@code Sched.checkCaller}), and a folio of this machine's memory.
     * A folio that was freed meanwhile is not misuse: the kernel finds freed frames too, and
     * migration of one fails.
     */
    private void checkFolio(Folio folio) {
        mem.sched().checkCaller();
        Args.notNull(folio, "folio");
        Validate.isTrue(mem.pfnValid(folio.pfn()) && (folio.freed() || mem.pfnToPage(folio.pfn()) == folio),
                "folio (%s) is not a folio of this machine", folio);
    }

    /** {@code migrate_pages()} for an isolated folio (the caller's reference is the isolation's). */
    private Folio migratePages(Folio folio, int passes) {
        try {
            for (int pass = 0; pass < passes; pass++) {
                Folio dst = mem.allocFolio(folio.order(), Gfp.HIGHUSER);
                if (dst == null) {
                    return null;
                }
                int rc = migrateOne(folio, dst);
                if (rc == 0) {
                    return dst;
                }
                mem.folioPut(dst);
                if (rc != -1) {
                    return null;
                }
            }
            return null;
        } finally {
            // migrate_folio_done() / putback: the isolation reference goes; a migrated folio
            // has no other left and is freed.
            mem.folioPut(folio);
        }
    }

    /**
     * One pass of {@code migrate_folio_unmap()} and {@code migrate_folio_move()}.
     *
     * @return 0 on success, -1 for -EAGAIN (retry), -2 for a permanent failure
     */
    private int migrateOne(Folio src, Folio dst) {
        if (!mem.folioTrylock(src)) {
            return -1;
        }
        try {
            boolean wasMapped = src.mapcount() > 0;
            if (wasMapped) {
                vm.rmapUnmap.tryToMigrate(src);
            }
            if (src.mapcount() > 0) {
                removeMigrationPtes(src, src);
                return -1;
            }
            MmInternals.setFlag(dst, Folio.PG_LOCKED);
            if (!moveToNewFolio(dst, src)) {
                MmInternals.clearFlag(dst, Folio.PG_LOCKED);
                if (wasMapped) {
                    removeMigrationPtes(src, src);
                }
                return -1;
            }
            if (wasMapped) {
                removeMigrationPtes(src, dst);
            }
            MmInternals.clearFlag(dst, Folio.PG_LOCKED);
            // The allocation's reference goes: dst's mappings and cache slot hold their own.
            mem.folioPut(dst);
            return 0;
        } finally {
            mem.folioUnlock(src);
        }
    }

    /**
     * Mirrors {@code move_to_new_folio()} → {@code __migrate_folio()}: if {@code src} has exactly
     * the expected references, its identity moves to {@code dst}: mapping, index, flags, and for
     * a cache folio its slot in the cache, under
     * {@code folio_ref_freeze()} so that no speculative reference can appear meanwhile. The
     * contents are copied (not modelled).
     */
    private boolean moveToNewFolio(Folio dst, Folio src) {
        int expected = folioExpectedRefs(src);
        if (mem.folioRefCount(src) != expected) {
            return false;
        }
        boolean cache = src.mapping() instanceof AddressSpace || src.swapcache();
        if (cache && !mem.folioRefFreeze(src, expected)) {
            return false;
        }
        int keep = Folio.PG_DIRTY | Folio.PG_UPTODATE | Folio.PG_LRU | Folio.PG_SWAPBACKED | Folio.PG_HUGETLB
                | Folio.PG_REFERENCED | Folio.PG_ACTIVE | Folio.PG_FSDAX;
        MmInternals.setFlag(dst, src.flags() & keep);
        MmInternals.setMapping(dst, src.mapping());
        MmInternals.setIndex(dst, src.index());
        // PageAnonExclusive does not move: try_to_migrate_one() cleared it and the migration
        // entries remember it; remove_migration_pte() sets it on the new pages.
        if (src.mapping() instanceof AddressSpace as) {
            FsInternals.replaceFolio(as, src, dst);
            mem.folioRefAdd(dst, dst.nrPages());
            mem.folioRefUnfreeze(src, expected - src.nrPages());
        } else if (src.swapcache()) {
            MmInternals.replaceSwapCacheFolio(mem.swap(), src, dst);
            mem.folioRefUnfreeze(src, expected - src.nrPages());
        }
        MmInternals.setMapping(src, null);
        return true;
    }

    /**
     * Mirrors {@code remove_migration_ptes(src, dst)}: every migration entry for {@code src}'s
     * pages becomes a PTE for the same page of {@code dst} (which is {@code src} again after a
     * failure), writable if the entry was, exclusive unless it was a plain readable one, with a
     * mapping and a reference of {@code dst}'s.
     */
    private void removeMigrationPtes(Folio src, Folio dst) {
        vm.rmap().walkMappingAddresses(dst.mapping(), dst.index(), src.nrPages(), (vma, addr, i, w) -> {
            EntryFormat fmt = vma.mm().pageTables().format();
            if (w.level == Level.PTE && fmt.isSwapPte(w.entry) && SwapOps.isMigrationEntry(fmt, w.entry)
                    && fmt.swpOffset(w.entry) == src.pfn() + i) {
                removeMigrationPte(vma, addr, w.table, w.index, dst, i);
            }
            return true;
        });
    }

    /** Mirrors {@code remove_migration_pte()} for one PTE, under its lock. */
    private void removeMigrationPte(Vma vma, long addr, PageTable t, int index, Folio dst, int i) {
        EntryFormat fmt = vma.mm().pageTables().format();
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            long old = t.read(index, "remove_migration_pte");
            if (!fmt.isSwapPte(old) || !SwapOps.isMigrationEntry(fmt, old)) {
                return;
            }
            Page page = dst.page(mem, i);
            mem.folioGet(dst);
            long pte = fmt.mkOld(Level.PTE, fmt.mkLeaf(Level.PTE, page.pfn(), vma.pageProt()));
            if (dst.dirty()) {
                pte = fmt.mkDirty(Level.PTE, pte);
            }
            if (SwapOps.isWritableMigrationEntry(fmt, old)) {
                pte = fmt.mkWrite(Level.PTE, pte);
            }
            if (dst.anon()) {
                vm.rmap().folioAddAnonRmapPte(dst, page, vma, addr, !SwapOps.isReadableMigrationEntry(fmt, old));
            } else {
                vm.rmap().folioAddFileRmap(dst);
            }
            PgtableInternals.write(t, index, pte, "set_pte_at");
        } finally {
            t.ptl().unlock(cpu);
        }
    }
}
