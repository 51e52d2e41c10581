package org.gupsim.pgtable;

import org.gupsim.mm.Folio;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.sched.Sched;
import org.gupsim.smp.SpinLock;

/**
 * A page-table page ({@code struct ptdesc}, which overlays {@code struct page}). It holds one
 * table, or several fragments where tables are smaller than a page (s390 2K page tables before
 * about 6.7, powerpc's 256-byte PTE fragments on 64K pages).
 */
public final class PtDesc extends Folio {
    private PageTable[] fragments;
    private Level level;
    private int live;
    /** {@code ptdesc->ptl}: the split page-table lock, made when first taken. */
    private SpinLock ptl;

    PtDesc(int pfn, int order) {
        super(pfn, order);
        MmInternals.setFlag(this, PG_PGTABLE);
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

    /**
     * Mirrors {@code ptlock_ptr()}: the split lock of this page-table page, shared by every table
     * (fragment) in it, named after the page, which lies at {@code pagePhys}.
     */
    SpinLock ptl(long pagePhys, Sched sched) {
        SpinLock l = ptl;
        if (l == null) {
            l = new SpinLock("ptl(" + level.kernelName() + " table @0x" + Long.toHexString(pagePhys) + ")", sched);
            ptl = l;
        }
        return l;
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
