package org.gupsim.fs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;

/**
 * An {@code address_space}: a file's page cache and the VMAs that map it ({@code i_mmap}).
 * The page cache is indexed in units of the file's folio size (base pages, or huge pages for
 * hugetlbfs), as hugetlbfs indexes its own cache.
 */
public final class AddressSpace implements FolioMapping {
    private final Inode host;
    private final Sched sched;
    private final List<MappedRange> iMmap = new ArrayList<>();
    private Folio[] slots = new Folio[16];
    private int nrFolios;
    private boolean freed;

    AddressSpace(Inode host, Sched sched) {
        this.host = host;
        this.sched = sched;
    }

    /** {@code mapping->host}. */
    public Inode host() {
        return host;
    }

    @Override
    public int mappingFlags() {
        return 0;
    }

    @Override
    public boolean freed() {
        return freed;
    }

    void markFreed() {
        sched.point(this, Access.FREE, "i_callback");
        freed = true;
    }

    /**
     * {@code mapping->a_ops}, read through a pointer that may be stale: dereferencing a freed
     * address space is the use-after-free the GUP-fast mapping checks must avoid.
     */
    public FsType aops(String function) {
        sched.point(this, Access.READ, function);
        if (freed) {
            sched.report(Violation.useAfterFree(Violation.ADDRESS_SPACE,
                    function + " dereferenced the address space of " + host + ", freed by i_callback"));
        }
        return host.fs().type();
    }

    /** Mirrors {@code shmem_mapping()}. */
    public boolean shmemMapping(String function) {
        return aops(function) == FsType.SHMEM;
    }

    /** Mirrors {@code secretmem_mapping()}. */
    public boolean secretmemMapping(String function) {
        return aops(function) == FsType.SECRETMEM;
    }

    /** {@code i_mmap}: the VMAs mapping this file, in the order they were linked. */
    public List<MappedRange> iMmap() {
        return iMmap;
    }

    /** Folios in the page cache ({@code mapping->nrpages} counted in folios). */
    public int nrFolios() {
        return nrFolios;
    }

    /** Mirrors {@code filemap_get_folio()}: the folio holding slot {@code slot}, or null. */
    public Folio get(long slot) {
        sched.point(this, (int) Math.min(slot, Integer.MAX_VALUE), Access.READ, "filemap_get_folio");
        return slot < slots.length ? slots[(int) slot] : null;
    }

    /** The folio holding slot {@code slot}, or null, read without a scheduling point: for checkers. */
    public Folio peek(long slot) {
        return slot < slots.length ? slots[(int) slot] : null;
    }

    /** Mirrors {@code __filemap_add_folio()}: links {@code folio} at {@code slot}, taking the cache's reference. */
    void add(long slot, Folio folio) {
        if (slot >= slots.length) {
            slots = Arrays.copyOf(slots, (int) Math.max(slot + 1, slots.length * 2L));
        }
        slots[(int) slot] = folio;
        nrFolios++;
    }

    /**
     * Mirrors {@code __filemap_remove_folio()}: the folio leaves the cache, from every slot it
     * holds (a large shmem folio holds one per page), and loses its mapping.
     */
    void remove(long slot) {
        Folio f = slots[(int) slot];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == f) {
                slots[i] = null;
            }
        }
        nrFolios--;
        sched.point(f, Access.WRITE, "__filemap_remove_folio");
        MmInternals.setMapping(f, null);
    }

    /**
     * Mirrors the multi-index {@code xas_store()} of mm/khugepaged.c {@code collapse_file()}:
     * {@code folio}, a large folio, takes slots {@code [first, first + n)}, whatever held them
     * (the small folios it replaces, which the caller then releases). Every slot of the range then
     * finds it, as the xarray's multi-index entry does.
     */
    void storeRange(long first, int n, Folio folio) {
        if (first + n > slots.length) {
            slots = Arrays.copyOf(slots, (int) Math.max(first + n, slots.length * 2L));
        }
        // One store of one multi-index entry under the xarray lock: one step over the whole cache.
        sched.point(this, -1, Access.WRITE, "xas_store");
        for (int i = 0; i < n; i++) {
            int slot = (int) (first + i);
            if (slots[slot] != null && (i == 0 || slots[slot] != slots[slot - 1])) {
                nrFolios--;
            }
            slots[slot] = folio;
        }
        nrFolios++;
    }

    /**
     * Mirrors the page-cache replacement in {@code folio_migrate_mapping()}: {@code newFolio} takes
     * {@code oldFolio}'s slot. Through {@code FsInternals.replaceFolio} from other packages.
     */
    void replaceFolio(Folio oldFolio, Folio newFolio) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == oldFolio) {
                sched.point(this, i, Access.WRITE, "folio_migrate_mapping");
                slots[i] = newFolio;
                return;
            }
        }
        throw new IllegalArgumentException("oldFolio is not in " + this);
    }

    /** Highest slot that may be in use, plus one. */
    long slotLimit() {
        return slots.length;
    }

    @Override
    public String toString() {
        return "address_space(" + host + ")";
    }
}
