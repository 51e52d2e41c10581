package org.gupsim.vm;

import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;

/**
 * Moving a folio's contents to a new frame. Mirrors mm/migrate.c {@code migrate_pages()} with
 * {@code alloc_migration_target()} for the long-term-pin case: the target comes from memory that
 * may be pinned long-term (ZONE_NORMAL outside CMA).
 */
public final class Migrate {
    private final Vm vm;
    private final PhysMem mem;

    public Migrate(Vm vm) {
        this.vm = vm;
        this.mem = vm.mem();
    }

    /**
     * Mirrors {@code folio_expected_ref_count()}: the references a folio has when nobody but its
     * mappings and the page cache holds it.
     */
    public static int expectedRefCount(Folio folio) {
        return folio.mapcount() + (folio.mapping() instanceof AddressSpace ? 1 : 0);
    }

    /**
     * Migrates {@code folio} to a long-term pinnable frame: every mapping is repointed, the page
     * cache slot replaced and the old frame freed. Fails (the kernel's {@code migrate_pages()}
     * returns the folio as not migrated) when someone else holds a reference, such as another
     * pin, or when no target frame is free.
     *
     * @return the new folio, or null on failure
     */
    public Folio migrateFolio(Folio folio) {
        if (folio.freed() || folio.zero() || folio.refcount() != expectedRefCount(folio)) {
            return null;
        }
        Folio target = mem.allocFolio(folio.order(), Gfp.HIGHUSER);
        if (target == null) {
            return null;
        }
        int keep = Folio.PG_DIRTY | Folio.PG_UPTODATE | Folio.PG_LRU | Folio.PG_SWAPBACKED | Folio.PG_HUGETLB
                | Folio.PG_REFERENCED | Folio.PG_ACTIVE | Folio.PG_FSDAX;
        target.set(folio.flags() & keep);
        target.setMapping(folio.mapping());
        target.setIndex(folio.index());
        for (int i = 0; i < folio.nrPages(); i++) {
            if (folio.page(mem, i).pageAnonExclusive()) {
                target.page(mem, i).setPageFlag(Page.PG_ANON_EXCLUSIVE);
            }
        }
        int refs = folio.refcount();
        vm.rmap().rmapWalk(folio, (vma, addr, w) -> {
            EntryFormat fmt = vma.mm().pageTables().format();
            long e = w.entry;
            long offset = fmt.leafPfn(w.level, e) - folio.pfn();
            long ne = fmt.mkLeaf(w.level, target.pfn() + offset, vma.pageProt());
            if (fmt.leafWrite(w.level, e)) {
                ne = fmt.mkWrite(w.level, ne);
            }
            if (fmt.leafDirty(w.level, e)) {
                ne = fmt.mkDirty(w.level, ne);
            }
            if (fmt.leafYoung(w.level, e)) {
                ne = fmt.mkYoung(w.level, ne);
            }
            var cpu = vm.cpu();
            w.table.ptl().lock(cpu);
            try {
                w.table.getAndClear(w.index, vm.arch().ptepGetAndClearOrder(), "try_to_migrate_one");
                vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + 1, false);
                w.table.write(w.index, ne, "remove_migration_pte");
            } finally {
                w.table.ptl().unlock(cpu);
            }
            return true;
        });
        if (folio.mapping() instanceof AddressSpace as) {
            as.replaceFolio(folio, target);
        }
        // The new folio inherits every mapping and the cache reference; the old one is freed.
        mem.folioMapcountAdd(target, folio.mapcount());
        mem.folioMapcountAdd(folio, -folio.mapcount());
        mem.folioRefAdd(target, refs - 1);
        folio.setMapping(null);
        mem.folioPutRefs(folio, refs);
        return target;
    }
}
