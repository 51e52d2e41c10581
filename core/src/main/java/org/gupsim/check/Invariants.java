package org.gupsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.Mm;

/**
 * Whole-state accounting checks. They read the state without scheduling points (they are the
 * checker, not kernel code) and return violations sorted by pfn, so reports are deterministic.
 */
public final class Invariants {
    private Invariants() {
    }

    /**
     * Checks, for every live folio: its map count equals the number of page-table leaves mapping
     * it in {@code mms} (a hugetlb folio is always mapped whole, and counts one mapping per
     * folio-sized run of leaves, so a contiguous group of entries is one mapping); its reference count covers those mappings, its page-cache reference and
     * its pins; its pin count is not negative; and no leaf points at a freed folio.
     */
    public static List<Violation> checkAccounting(PhysMem mem, List<Mm> mms) {
        TreeMap<Integer, int[]> mapped = new TreeMap<>();
        List<Violation> out = new ArrayList<>();
        for (Mm mm : mms) {
            if (mm.dead()) {
                continue;
            }
            PageTables pt = mm.pageTables();
            countLeaves(mem, pt, pt.root(), pt.geometry().top(), mapped, out, mm);
        }
        for (Folio f : mem.liveFolios()) {
            if (f.test(Folio.PG_PGTABLE)) {
                continue;
            }
            int[] n = mapped.get(f.pfn());
            int maps = n == null ? 0 : n[0];
            if (maps != f.mapcount()) {
                out.add(new Violation(ViolationKind.BUG_ON,
                        f + " mapcount " + f.mapcount() + " but " + maps + " page-table entries map it"));
            }
            int cache = f.mapping() instanceof AddressSpace ? 1 : 0;
            if (f.pincount() < 0) {
                out.add(new Violation(ViolationKind.PINCOUNT_UNDERFLOW, f + " _pincount " + f.pincount()));
            }
            int pins = f.large() ? f.pincount() : 0;
            if (f.refcount() < maps + cache + pins) {
                out.add(new Violation(ViolationKind.REFCOUNT_UNDERFLOW, f + " refcount " + f.refcount()
                        + " below mappings (" + maps + ") + page cache (" + cache + ") + pins (" + pins + ")"));
            }
            if (f.refcount() == 0) {
                out.add(new Violation(ViolationKind.BUG_ON, f + " is live with refcount 0"));
            }
        }
        return out;
    }

    private static void countLeaves(PhysMem mem, PageTables pt, PageTable t, Level level,
                                    TreeMap<Integer, int[]> mapped, List<Violation> out, Mm mm) {
        EntryFormat fmt = pt.format();
        if (t.freed()) {
            out.add(Violation.useAfterFree(Violation.PAGE_TABLE, mm + " still links freed " + t));
            return;
        }
        for (int i = 0; i < t.nrEntries(); i++) {
            long e = t.peek(i);
            if (fmt.none(level, e) || !fmt.present(level, e)) {
                continue;
            }
            if (level == Level.PTE || fmt.leaf(level, e)) {
                if (fmt.hasPteSpecial() && fmt.leafSpecial(level, e)) {
                    continue;
                }
                long pfn = fmt.leafPfn(level, e);
                if (pfn == mem.zeroFolio().pfn()) {
                    continue;
                }
                Page p = mem.pfnValid(pfn) ? mem.pfnToPage(pfn) : null;
                if (p == null || p.folio().freed()) {
                    out.add(Violation.useAfterFree(Violation.FOLIO,
                            mm + " maps pfn " + pfn + " whose folio is free"));
                    continue;
                }
                Folio f = p.folio();
                int[] n = mapped.computeIfAbsent(f.pfn(), k -> new int[2]);
                if (f.hugetlb()) {
                    // Count pages mapped; a whole folio's worth is one mapping.
                    n[1] += (int) (pt.geometry().size(level) >>> pt.geometry().pageShift());
                    n[0] = n[1] / f.nrPages();
                } else {
                    n[0]++;
                }
                continue;
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child != null) {
                countLeaves(mem, pt, child, level.below(), mapped, out, mm);
            }
        }
    }

    /**
     * The teardown check: after every process has exited, every file been closed and unlinked,
     * and every RCU callback run, no frame or swap slot may be in use and every pin must have been
     * released.
     */
    public static List<Violation> checkTeardown(PhysMem mem, long pinsAcquired, long pinsReleased,
                                                int pendingRcuCallbacks) {
        List<Violation> out = new ArrayList<>();
        if (pendingRcuCallbacks != 0) {
            out.add(new Violation(ViolationKind.LEAK, pendingRcuCallbacks + " RCU callbacks never ran"));
        }
        if (mem.swap().slotsInUse() != 0) {
            out.add(new Violation(ViolationKind.LEAK, mem.swap().slotsInUse() + " swap slots still in use"));
        }
        if (pinsAcquired != pinsReleased) {
            out.add(new Violation(ViolationKind.LEAK, "pins acquired " + pinsAcquired + " but released " + pinsReleased));
        }
        List<Folio> live = mem.liveFolios();
        if (!live.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (Folio f : live) {
                if (shown++ == 5) {
                    sb.append(", ...");
                    break;
                }
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(f).append(" ref=").append(f.refcount()).append(" map=").append(f.mapcount())
                        .append(f.test(Folio.PG_PGTABLE) ? " pgtable" : "");
            }
            out.add(new Violation(ViolationKind.LEAK, live.size() + " folios still allocated: " + sb));
        }
        return out;
    }
}
