package org.gupsim.gup;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.kernel.Kernel;
import org.gupsim.memmodel.Primitive;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.Rcu;
import org.gupsim.vm.AnonFeatures;
import org.gupsim.vm.VmFeatures;

/**
 * The lockless fast path. Mirrors mm/gup.c {@code gup_fast()}, {@code gup_fast_pgd_range()} down to
 * {@code gup_fast_pte_range()}, and the huge-leaf handlers.
 *
 * <p>The walk takes no lock at all. It needs two things to be safe: page-table pages must not be
 * freed under it, and a page it saw mapped must not be recycled before it holds a reference.
 * Both come from running with IRQs disabled. Where other CPUs' TLBs are shot down by IPI, the CPU
 * tearing down a mapping cannot finish its flush (and so cannot free) until this CPU re-enables
 * IRQs. Where tables are freed by RCU (MMU_GATHER_RCU_TABLE_FREE), the IRQ-off section holds the
 * grace period open. Against everything else (a PTE cleared, a PMD collapsed) the walk takes its
 * reference speculatively and then rechecks that the PMD and PTE it followed are unchanged; if
 * either moved, it drops the reference and stops, leaving the rest to the slow path.
 *
 * <p>A handler returning false stops the walk; the pages pinned so far stay pinned and counted.
 */
final class GupFast {
    private static final String[] RANGE_FN = {
        "gup_fast_pgd_range", "gup_fast_p4d_range", "gup_fast_pud_range", "gup_fast_pmd_range", "gup_fast_pte_range"
    };

    private static final String[] LEAF_RECHECK_FN = {
        "gup_fast_pgd_leaf(recheck)", "gup_fast_p4d_leaf(recheck)", "gup_fast_pud_leaf(recheck)",
        "gup_fast_pmd_leaf(recheck)", "gup_fast_pte(recheck)"
    };

    private final Gup gup;
    private final PhysMem mem;
    private final Grab grab;
    private final GupFastPrimitives primitives;
    private final Rcu rcu;
    private final boolean pteMapTakesRcu;
    private final boolean irqDisable;
    private final boolean pteRecheck;
    private final boolean pmdRecheck;
    private final boolean foldedOffsetOnCopy;
    private final boolean writeProtectSeq;
    private final Kernel kernel;
    /** The kernel's folio checks by where they run (the no-op {@link KernelFolioChecks#NONE} left out). */
    private final GupFastFolioCheck[] inTryGrab;
    private final GupFastFolioCheck[] beforeRecheck;
    private final GupFastFolioCheck[] afterRecheck;

    GupFast(Gup gup, PhysMem mem, Grab grab, GupFastPrimitives primitives, Rcu rcu, Kernel kernel) {
        this.irqDisable = kernel.get(GupFeatures.IRQ_DISABLE);
        this.pteRecheck = kernel.get(GupFeatures.PTE_RECHECK);
        this.pmdRecheck = kernel.get(GupFeatures.PMD_RECHECK);
        this.foldedOffsetOnCopy = !kernel.get(GupFeatures.LOCKLESS_OFFSET);
        this.writeProtectSeq = kernel.get(AnonFeatures.WRITE_PROTECT_SEQ);
        this.kernel = kernel;
        this.gup = gup;
        this.mem = mem;
        this.grab = grab;
        this.primitives = primitives;
        this.rcu = rcu;
        // The per-folio check, then the separate secretmem check where a kernel still has one:
        // the order in which the kernel (and v6, in try_grab_folio()) ran them.
        List<GupFastFolioCheck> checks = List.of(kernel.get(GupFeatures.FOLIO_CHECK),
                kernel.get(GupFeatures.SECRETMEM_CHECK));
        this.inTryGrab = placed(checks, GupFastFolioCheck.Placement.IN_TRY_GRAB);
        this.beforeRecheck = placed(checks, GupFastFolioCheck.Placement.BEFORE_RECHECK);
        this.afterRecheck = placed(checks, GupFastFolioCheck.Placement.AFTER_RECHECK);
        // 6.5 made pte_offset_map() able to fail (0d940a9b270b) but left rcu_read_lock() "to be
        // added later"; 6.6 added it (a349d72fd9ef) because retracted PTE tables are now freed by
        // RCU (pte_free_defer). From then on the per-PTE checks also run inside rcu_read_lock().
        this.pteMapTakesRcu = kernel.get(VmFeatures.PTE_OFFSET_MAP_RCU);
    }

    /** The checks that run at {@code where}; a loop, not a stream: every explored schedule boots a machine. */
    private static GupFastFolioCheck[] placed(List<GupFastFolioCheck> checks, GupFastFolioCheck.Placement where) {
        List<GupFastFolioCheck> out = new ArrayList<>(checks.size());
        for (GupFastFolioCheck c : checks) {
            if (c != KernelFolioChecks.NONE && c.placement() == where) {
                out.add(c);
            }
        }
        return out.toArray(new GupFastFolioCheck[0]);
    }

    /**
     * Runs {@code checks} on {@code folio}, grabbed with {@code refs} references: if one refuses,
     * the references go back and the walk stops with its reason.
     */
    private boolean folioChecksPass(GupCall c, GupFastFolioCheck[] checks, Folio folio, int refs) {
        for (GupFastFolioCheck check : checks) {
            if (!check.allowed(folio, c.flags, primitives)) {
                grab.gupPutFolio(folio, refs, c.flags);
                c.stop(check.refusal());
                return false;
            }
        }
        return true;
    }

    /** Mirrors {@code try_grab_folio_fast()} with the checks a kernel runs inside it. */
    private Folio tryGrabFolioFast(Page page, int refs, int flags) {
        return grab.tryGrabFolioFast(page, refs, flags, inTryGrab, primitives);
    }

    /**
     * Mirrors {@code gup_fast()}: the IRQ-off walk, bracketed for FOLL_PIN by the
     * {@code mm->write_protect_seq} read section that fork writes. If fork ran meanwhile, an
     * anonymous page might have been pinned while being shared with the child, so every fast pin
     * is undone and the slow path does the work.
     */
    int gupFast(GupCall c, long start, long end) {
        if (!gup.arch().haveGupFast()) {
            return 0;
        }
        // The write_protect_seq read section (57efa1fe5957) is FOLL_PIN's only.
        boolean pin = c.has(Foll.PIN) && writeProtectSeq;
        int seq = 0;
        if (pin) {
            seq = c.mm.readWriteProtectSeq();
            // raw_read_seqcount(): the count before anything the walk reads
            mem.sched().fence(Primitive.RMB, "raw_read_seqcount");
            if ((seq & 1) != 0) {
                c.stop("GUP-fast: fork in progress (write_protect_seq odd)");
                return 0;
            }
        }
        Cpu cpu = gup.cpu();
        boolean irq = irqDisable && cpu.localIrqSave();
        try {
            gupFastPgdRange(c, start, end);
        } finally {
            if (irqDisable) {
                cpu.localIrqRestore(irq);
            }
        }
        if (pin) {
            // read_seqcount_retry(): everything the walk read before the count again
            mem.sched().fence(Primitive.RMB, "read_seqcount_retry");
        }
        if (pin && c.mm.readWriteProtectSeq() != seq) {
            gupFastUnpinUserPages(c);
            c.stop("GUP-fast: fork ran during the walk (write_protect_seq changed)");
            return 0;
        }
        return c.nr;
    }

    /** Mirrors {@code gup_fast_unpin_user_pages()}. */
    private void gupFastUnpinUserPages(GupCall c) {
        for (int i = 0; i < c.nr; i++) {
            Page p = c.pages[c.pagesOff + i];
            grab.gupPutFolio(p.folio(), 1, c.flags);
        }
        c.nr = 0;
    }

    /**
     * Mirrors {@code gup_fast_pgd_range()} and the levels below it. Where the mm folds levels
     * above its top table, the architecture says what the offset into that table comes to
     * ({@link GupArch#foldedOffsetLockless}; with patch {@code folded-offset-on-copy} the
     * pre-d3f7b1bb2040 {@code pXd_offset(&copy, addr)}, {@link GupArch#foldedOffset}): the real
     * table, the stack copy passed through ({@link #gupFastPgdRangeOnCopy}), or the stack copy
     * aligned down and indexed ({@link #gupFastStrayRead}).
     */
    private void gupFastPgdRange(GupCall c, long start, long end) {
        PageTables pt = c.mm.pageTables();
        Geometry g = pt.geometry();
        if (g.top() != Level.PGD) {
            FoldedOffset how = foldedOffsetOnCopy
                    ? gup.arch().foldedOffset(g)
                    : gup.arch().foldedOffsetLockless(g, kernel);
            switch (how) {
                case PASSED_POINTER -> {
                    gupFastPgdRangeOnCopy(c, pt, start, end);
                    return;
                }
                case ALIGN_DOWN_AND_INDEX -> {
                    gupFastStrayRead(pt, start);
                    return;
                }
                case REAL_TABLE -> {
                    // Every folded level hands on the real pointer: the walk starts at the top table.
                }
            }
        }
        rangeBelow(c, pt, pt.root(), g.top(), start, end);
    }

    private static long addrEnd(long addr, long end, long size) {
        long boundary = (addr + size) & -size;
        return (boundary - 1 < end - 1) ? boundary : end;
    }

    /**
     * The walk through the stack copy with folded levels that return the pointer they are handed
     * ({@link FoldedOffset#PASSED_POINTER}): {@code gup_fast_pgd_range()} steps through the top
     * table with {@code PGDIR_SIZE} and passes each entry down by value; each folded level then
     * offsets from the address of that copy, gets the copy back, and loops with its own
     * {@code pXd_SIZE}. Where a folded level's size exceeds the top entry's span (s390 folds at
     * run time but keeps 5-level sizes; generic GUP-fast before d3f7b1bb2040), the loop runs more
     * than once over a range that crosses a top entry and {@code pXdp++} walks past the copy into
     * unrelated stack words. Where the sizes agree (x86 without LA57, whose {@code PGDIR_SIZE}
     * follows at run time; compile-time folding) each loop runs once and the walk is right.
     */
    private void gupFastPgdRangeOnCopy(GupCall c, PageTables pt, long start, long end) {
        Geometry g = pt.geometry();
        PageTable top = pt.root();
        long addr = start;
        int idx = g.index(g.top(), addr);
        do {
            long next = addrEnd(addr, end, g.size(Level.PGD));
            long copy = top.read(idx, RANGE_FN[Level.PGD.ordinal()]);
            if (!gupFastOnCopy(c, pt, Level.P4D, copy, addr, next)) {
                return;
            }
            idx++;
            addr = next;
        } while (addr != end);
    }

    private boolean gupFastOnCopy(GupCall c, PageTables pt, Level level, long copy, long addr, long end) {
        Geometry g = pt.geometry();
        int k = 0;
        do {
            long next = addrEnd(addr, end, g.size(level));
            if (k > 0) {
                gup.report(new Violation(ViolationKind.BUG_ON, "KASAN: stack-out-of-bounds read in "
                        + RANGE_FN[level.ordinal()] + ": stepped past its stack copy of the " + level.kernelName()
                        + " entry (a folded level's loop ran with its compiled size): word " + k
                        + " of the stack taken as the entry for 0x" + Long.toHexString(addr), Violation.STACK));
                return false;
            }
            if (level == g.top()) {
                // The copy holds the top table's entry for addr; below it the tables are real.
                int idx = g.index(level, addr);
                if (!gupFastEntry(c, pt, pt.root(), idx, level, copy, addr, next)) {
                    return false;
                }
            } else if (!gupFastOnCopy(c, pt, level.below(), copy, addr, next)) {
                return false;
            }
            k++;
            addr = next;
        } while (addr != end);
        return true;
    }

    /**
     * The walk through the stack copy with a folded level that aligns the pointer it is handed
     * down to its page and indexes it ({@link FoldedOffset#ALIGN_DOWN_AND_INDEX}): arm64 with a
     * PUD folded at run time (16K pages, 52-bit build, no LPA2) before 36639013b346.
     * {@code gup_fast_pgd_range()} reads the top table at {@code pgd_index(addr)} (0: the folded
     * level has one entry) and passes the value down; the generic {@code p4d_offset_lockless()}
     * returns the address of that stack copy, and {@code p4d_to_folded_pud()} aligns it down to
     * the stack page and adds {@code pud_index(addr)}. The entry then read is a stack word, at any
     * address, and the kernel follows it into the weeds (Asahi Lina's random oopses); the model
     * stops at that read and reports it. Under patch {@code folded-offset-on-copy} arm64's own
     * {@code p4d_offset()} / {@code pud_offset()} get the copy and do the same.
     */
    private void gupFastStrayRead(PageTables pt, long start) {
        Geometry g = pt.geometry();
        Level top = g.top();
        Level folded = Level.of(top.ordinal() - 1);
        pt.root().read(g.index(folded, start), RANGE_FN[Level.PGD.ordinal()]);
        String offset = top.kernelName() + (foldedOffsetOnCopy ? "_offset()" : "_offset_lockless()");
        gup.report(new Violation(ViolationKind.BUG_ON, "KASAN: stack-out-of-bounds read in "
                + RANGE_FN[top.ordinal()] + ": " + offset + " aligned its stack copy of the " + folded.kernelName()
                + " entry down to the stack page and read word " + g.index(top, start) + " of it as the "
                + top.kernelName() + " entry for 0x" + Long.toHexString(start) + " ("
                + (foldedOffsetOnCopy ? "pXd_offset() on a copy, before d3f7b1bb2040"
                        : "generic p4d_offset_lockless() with a level folded at run time, before 36639013b346")
                + ")", Violation.STACK));
    }

    /**
     * Mirrors {@code gup_fast_p4d_range()}: each P4D entry under {@code [addr, end)}, read locklessly;
     * a P4D never maps a page (the kernel's {@code BUILD_BUG_ON(p4d_leaf())}), so each goes down to
     * {@link #gupFastPudRange} from the value read.
     */
    private boolean gupFastP4dRange(GupCall c, PageTables pt, PageTable p4ds, long addr, long end) {
        return levelRange(c, pt, p4ds, Level.P4D, addr, end);
    }

    /**
     * Mirrors {@code gup_fast_pud_range()}: each PUD entry, read with READ_ONCE; a leaf (a 1G page,
     * s390's 2G) to {@link #gupFastPudLeaf}, a table to {@link #gupFastPmdRange}.
     */
    private boolean gupFastPudRange(GupCall c, PageTables pt, PageTable puds, long addr, long end) {
        return levelRange(c, pt, puds, Level.PUD, addr, end);
    }

    /**
     * Mirrors {@code gup_fast_pmd_range()}: each PMD entry, read with {@code pmdp_get_lockless()};
     * a leaf (a THP or hugetlb page) to {@link #gupFastPmdLeaf} unless it is PROT_NONE, a table to
     * {@link #gupFastPteRange} with the PMD value and where it was read, for the recheck.
     */
    private boolean gupFastPmdRange(GupCall c, PageTables pt, PageTable pmds, long addr, long end) {
        return levelRange(c, pt, pmds, Level.PMD, addr, end);
    }

    /** The range function of {@code level}'s table, as the kernel calls it by name (the top: the PGD loop). */
    private boolean rangeBelow(GupCall c, PageTables pt, PageTable table, Level level, long addr, long end) {
        return switch (level) {
            case P4D -> gupFastP4dRange(c, pt, table, addr, end);
            case PUD -> gupFastPudRange(c, pt, table, addr, end);
            case PMD -> gupFastPmdRange(c, pt, table, addr, end);
            default -> levelRange(c, pt, table, level, addr, end);
        };
    }

    /**
     * The loop every {@code gup_fast_pXd_range()} shares: read each entry of {@code table} under
     * {@code [addr, end)} locklessly, once, and act on that value.
     */
    private boolean levelRange(GupCall c, PageTables pt, PageTable table, Level level, long addr, long end) {
        Geometry g = pt.geometry();
        long size = g.size(level);
        int idx = g.index(level, addr);
        String fn = RANGE_FN[level.ordinal()];
        do {
            long next = addrEnd(addr, end, size);
            long e = table.read(idx, fn);
            if (!gupFastEntry(c, pt, table, idx, level, e, addr, next)) {
                return false;
            }
            idx++;
            addr = next;
        } while (addr != end);
        return true;
    }

    /** One entry {@code e} of a level's loop, read from {@code table[idx]}, covering {@code [addr, next)}. */
    private boolean gupFastEntry(GupCall c, PageTables pt, PageTable table, int idx, Level level, long e, long addr,
                                 long next) {
        EntryFormat fmt = pt.format();
        if (fmt.none(level, e) || !fmt.present(level, e)) {
            c.stop("GUP-fast: " + level.kernelName() + " not present");
            return false;
        }
        if (fmt.leaf(level, e)) {
            return switch (level) {
                case PMD -> gupFastPmdLeaf(c, pt, table, idx, e, addr, next);
                case PUD -> gupFastPudLeaf(c, pt, table, idx, e, addr, next);
                case PGD -> gupFastPgdLeaf(c, pt, table, idx, e, addr, next);
                default -> gupFastLeaf(c, pt, table, idx, level, e, addr, next);
            };
        }
        if (level == Level.PMD) {
            return gupFastPteRange(c, pt, table, idx, e, addr, next);
        }
        // pXd_offset_lockless(pXdp, pXd, addr): offset from the value we read, not a re-read of
        // the entry, so the walk sees one consistent path.
        PageTable child = pt.tableAt(fmt.tablePhys(level, e));
        return child != null && rangeBelow(c, pt, child, level.below(), addr, next);
    }

    /**
     * Mirrors {@code gup_fast_pte_range()}. Called with the PMD value as read ({@code pmd}) and
     * where it was read from, so the PMD can be rechecked after each grab.
     */
    private boolean gupFastPteRange(GupCall c, PageTables pt, PageTable pmdTable, int pmdIndex, long pmd,
                                    long addr, long end) {
        EntryFormat fmt = pt.format();
        Geometry g = pt.geometry();
        Cpu cpu = gup.cpu();
        if (!fmt.hasPteSpecial()) {
            // Without pte_special() GUP-fast cannot tell a special mapping from a normal one.
            c.stop("GUP-fast: no ARCH_HAS_PTE_SPECIAL");
            return false;
        }
        // pte_offset_map(&pmd, addr): maps the table the PMD value we hold points at.
        if (pteMapTakesRcu) {
            rcu.rcuReadLock(cpu);
        }
        try {
            PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, pmd));
            if (ptes == null) {
                return false;
            }
            long pageSize = g.pageSize();
            int idx = g.index(Level.PTE, addr);
            int flags = c.flags;
            boolean write = (flags & Foll.WRITE.bit()) != 0;
            Page[] pages = c.pages;
            do {
                long pte = ptes.read(idx, "gup_fast_pte_range");
                // Fast GUP must never succeed where the VMA's permissions would make the slow path
                // fail; a PROT_NONE (or NUMA-hinting) PTE is left to the fault path.
                if (fmt.leafProtnone(Level.PTE, pte)) {
                    c.stop("GUP-fast: pte protnone");
                    return false;
                }
                if (!fmt.accessPermitted(Level.PTE, pte, write)) {
                    c.stop(write ? "GUP-fast: pte not present or not writable" : "GUP-fast: pte not present");
                    return false;
                }
                if (fmt.leafDevmap(Level.PTE, pte)) {
                    if ((flags & Foll.LONGTERM.bit()) != 0) {
                        c.stop("GUP-fast: devmap and FOLL_LONGTERM");
                        return false;
                    }
                } else if (fmt.leafSpecial(Level.PTE, pte)) {
                    c.stop("GUP-fast: special pte (zero page or PFN map)");
                    return false;
                }
                long pfn = fmt.leafPfn(Level.PTE, pte);
                if (!mem.pfnValid(pfn)) {
                    c.stop("GUP-fast: pfn not valid");
                    return false;
                }
                Page page = mem.pfnToPage(pfn);
                Folio folio = tryGrabFolioFast(page, 1, flags);
                if (folio == null) {
                    c.stop(grab.whyNull);
                    return false;
                }
                if (!folioChecksPass(c, beforeRecheck, folio, 1)) {
                    return false;
                }
                // The recheck: if the PMD or the PTE changed since we read them, the page may
                // already be on its way to being freed or reused (THP collapse, zap). Our
                // reference keeps the folio itself alive; give it back and stop.
                if ((pmdRecheck && pmd != pmdTable.read(pmdIndex, "gup_fast_pte_range(recheck pmd)"))
                        || (pteRecheck && pte != ptes.read(idx, "gup_fast_pte_range(recheck pte)"))) {
                    grab.gupPutFolio(folio, 1, flags);
                    c.stop("GUP-fast: pmd or pte changed under the walk");
                    return false;
                }
                if (!folioChecksPass(c, afterRecheck, folio, 1)) {
                    return false;
                }
                if (!fmt.leafWrite(Level.PTE, pte) && gup.gupMustUnshare(null, flags, page)) {
                    grab.gupPutFolio(folio, 1, flags);
                    c.stop("GUP-fast: read-only pin of a page that must be unshared first");
                    return false;
                }
                if ((flags & Foll.PIN.bit()) != 0 && !gup.arch().archMakeFolioAccessible(folio)) {
                    grab.gupPutFolio(folio, 1, flags);
                    c.stop("GUP-fast: arch_make_folio_accessible failed");
                    return false;
                }
                MmInternals.setFlag(folio, Folio.PG_REFERENCED);
                pages[c.pagesOff + c.nr] = page;
                c.nr++;
                idx++;
                addr += pageSize;
            } while (addr != end);
            return true;
        } finally {
            if (pteMapTakesRcu) {
                rcu.rcuReadUnlock(cpu);
            }
        }
    }

    /**
     * Mirrors {@code gup_fast_pmd_leaf()}: a PMD-mapped THP or hugetlb page. A PROT_NONE
     * (NUMA-hinting) huge PMD must fault, as in {@link #gupFastPteRange}.
     */
    private boolean gupFastPmdLeaf(GupCall c, PageTables pt, PageTable pmds, int idx, long pmd, long addr, long end) {
        if (pt.format().leafProtnone(Level.PMD, pmd)) {
            c.stop("GUP-fast: pmd protnone");
            return false;
        }
        return gupFastLeaf(c, pt, pmds, idx, Level.PMD, pmd, addr, end);
    }

    /** Mirrors {@code gup_fast_pud_leaf()}: a PUD-mapped hugetlb page (1G; s390 2G). */
    private boolean gupFastPudLeaf(GupCall c, PageTables pt, PageTable puds, int idx, long pud, long addr, long end) {
        return gupFastLeaf(c, pt, puds, idx, Level.PUD, pud, addr, end);
    }

    /** Mirrors {@code gup_fast_pgd_leaf()}: a huge page mapped by a top-level entry. */
    private boolean gupFastPgdLeaf(GupCall c, PageTables pt, PageTable pgds, int idx, long pgd, long addr, long end) {
        return gupFastLeaf(c, pt, pgds, idx, Level.PGD, pgd, addr, end);
    }

    /**
     * What the leaf handlers share: a huge mapping is grabbed as one folio with as many
     * references as subpages are wanted, the folio checks run in their places around the recheck
     * of the entry, and a read-only pin of a page that must be unshared gives up.
     */
    private boolean gupFastLeaf(GupCall c, PageTables pt, PageTable table, int idx, Level level, long orig,
                                long addr, long end) {
        EntryFormat fmt = pt.format();
        Geometry g = pt.geometry();
        int flags = c.flags;
        if (!fmt.accessPermitted(level, orig, (flags & Foll.WRITE.bit()) != 0)) {
            c.stop("GUP-fast: huge " + level.kernelName() + " not accessible");
            return false;
        }
        if (fmt.leafSpecial(level, orig)) {
            c.stop("GUP-fast: special huge " + level.kernelName());
            return false;
        }
        if (fmt.leafDevmap(level, orig) && (flags & Foll.LONGTERM.bit()) != 0) {
            c.stop("GUP-fast: devmap huge leaf and FOLL_LONGTERM");
            return false;
        }
        long size = g.size(level);
        long headPfn = fmt.leafPfn(level, orig);
        long first = headPfn + ((addr & (size - 1)) >>> g.pageShift());
        int refs = (int) ((end - addr) >>> g.pageShift());
        // record_subpages(): the entries are written before the grab, counted only after it.
        for (int i = 0; i < refs; i++) {
            c.pages[c.pagesOff + c.nr + i] = mem.pfnToPage(first + i);
        }
        Page head = mem.pfnToPage(headPfn);
        Folio folio = tryGrabFolioFast(head, refs, flags);
        if (folio == null) {
            c.stop(grab.whyNull);
            return false;
        }
        if (!folioChecksPass(c, beforeRecheck, folio, refs)) {
            return false;
        }
        if (orig != table.read(idx, LEAF_RECHECK_FN[level.ordinal()])) {
            grab.gupPutFolio(folio, refs, flags);
            c.stop("GUP-fast: huge leaf changed under the walk");
            return false;
        }
        if (!folioChecksPass(c, afterRecheck, folio, refs)) {
            return false;
        }
        if (!fmt.leafWrite(level, orig) && gup.gupMustUnshare(null, flags, folio)) {
            grab.gupPutFolio(folio, refs, flags);
            c.stop("GUP-fast: read-only pin of a page that must be unshared first");
            return false;
        }
        c.nr += refs;
        MmInternals.setFlag(folio, Folio.PG_REFERENCED);
        return true;
    }
}
