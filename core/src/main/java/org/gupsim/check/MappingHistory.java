package org.gupsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * Which folios were mapped at which user addresses while a GUP call ran, so that the call's
 * results can be checked: GUP may only return a folio that was mapped at that address at some
 * point during the call. Folios are compared by identity, not by frame number, because a freed
 * frame is soon reused for something else. Keyed by (mm id, virtual page) in a sorted map.
 */
public final class MappingHistory implements PageTables.LeafListener {
    private final PhysMem mem;
    private final TreeMap<Long, List<Folio>> seen = new TreeMap<>();
    private boolean recording;

    public MappingHistory(PhysMem mem) {
        this.mem = mem;
    }

    private static long key(int mmId, long vpage) {
        return ((long) mmId << 48) ^ vpage;
    }

    /** Starts recording: what is mapped now at {@code [start, start + n pages)} counts as seen. */
    public void start(PageTables pt, long start, int n) {
        seen.clear();
        recording = true;
        EntryFormat fmt = pt.format();
        Walk w = new Walk();
        long pageSize = pt.geometry().pageSize();
        for (int i = 0; i < n; i++) {
            long a = start + i * pageSize;
            pt.peekWalk(a, w);
            if (w.leafPresent) {
                record(pt, a, w.level, w.entry);
            }
        }
    }

    @Override
    public void leafInstalled(PageTables tables, long vaddr, Level level, long entry) {
        if (recording) {
            long size = tables.geometry().size(level);
            long pages = size >>> tables.geometry().pageShift();
            for (long i = 0; i < pages; i++) {
                record(tables, vaddr + i * tables.geometry().pageSize(), level, entry);
            }
        }
    }

    private void record(PageTables pt, long addr, Level level, long entry) {
        EntryFormat fmt = pt.format();
        long size = pt.geometry().size(level);
        long pfn = fmt.leafPfn(level, entry) + ((addr & (size - 1)) >>> pt.geometry().pageShift());
        if (!mem.pfnValid(pfn) || mem.pfnToPage(pfn) == null) {
            return;
        }
        Folio f = mem.pfnToPage(pfn).folio();
        List<Folio> l = seen.computeIfAbsent(key(pt.ownerId(), addr >>> pt.geometry().pageShift()), k -> new ArrayList<>());
        if (!l.contains(f)) {
            l.add(f);
        }
    }

    /**
     * Stops recording and checks {@code n} pages GUP returned for {@code start}: each must belong
     * to a folio seen mapped at its address (the zero page counts as mapped where it was).
     */
    public List<Violation> checkResults(PageTables pt, long start, Page[] pages, int n) {
        recording = false;
        List<Violation> out = new ArrayList<>();
        long pageSize = pt.geometry().pageSize();
        for (int i = 0; i < n; i++) {
            Page p = pages[i];
            if (p == null) {
                continue;
            }
            long a = start + i * pageSize;
            List<Folio> l = seen.get(key(pt.ownerId(), a >>> pt.geometry().pageShift()));
            Folio f = p.folio();
            boolean ok = l != null && l.contains(f) || (f.zero() && l == null);
            if (!ok) {
                out.add(new Violation(ViolationKind.STALE_PIN, "GUP returned " + f + " for 0x" + Long.toHexString(a)
                        + ", which was not mapped there at any point during the call"));
            }
        }
        return out;
    }
}
