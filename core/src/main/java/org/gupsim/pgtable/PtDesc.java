package org.gupsim.pgtable;

import org.gupsim.mm.Folio;

/**
 * A page-table page ({@code struct ptdesc}, which overlays {@code struct page}). It holds one
 * table, or several fragments where tables are smaller than a page (s390 2K page tables before
 * about 6.7, powerpc's 256-byte PTE fragments on 64K pages).
 */
public final class PtDesc extends Folio {
    private PageTable[] fragments;
    private Level level;
    private int live;

    PtDesc(int pfn, int order) {
        super(pfn, order);
        set(PG_PGTABLE);
    }

    void init(Level lvl, int nrFragments) {
        this.level = lvl;
        this.fragments = new PageTable[nrFragments];
    }

    public Level level() {
        return level;
    }

    public int nrFragments() {
        return fragments.length;
    }

    /** The table in fragment {@code i}, or null if that fragment is unused. */
    public PageTable fragment(int i) {
        return fragments[i];
    }

    void setFragment(int i, PageTable table) {
        if (fragments[i] == null && table != null) {
            live++;
        } else if (fragments[i] != null && table == null) {
            live--;
        }
        fragments[i] = table;
    }

    /** Fragments currently in use. */
    public int liveFragments() {
        return live;
    }

    int firstFreeFragment() {
        for (int i = 0; i < fragments.length; i++) {
            if (fragments[i] == null) {
                return i;
            }
        }
        return -1;
    }
}
