package org.gupsim.gup;

import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.vm.Mm;
import org.gupsim.vm.PteOffsetMap;
import org.gupsim.vm.Vm;
import org.gupsim.vm.VmFault;
import org.gupsim.vm.VmFlags;
import org.gupsim.vm.Vma;

/**
 * The slow path. Mirrors mm/gup.c {@code __get_user_pages_locked()}, {@code __get_user_pages()},
 * {@code check_vma_flags()}, {@code follow_page_mask()} / {@code follow_page_pte()},
 * {@code can_follow_write_pte()} and {@code faultin_page()}.
 *
 * <p>It runs under the mmap lock with the VMA in hand, walks the tables with the page-table lock
 * held for each entry, and faults in whatever is missing or needs breaking CoW/unsharing, then
 * looks again. Because it sees the VMA, it is where the complete rules live; the fast path only
 * has to be no more permissive.
 */
final class GupSlow {
    private final Gup gup;
    private final Vm vm;
    private final PhysMem mem;
    private final Grab grab;
    private final LongtermRules rules;
    private final boolean honorNumaFault;

    /** Outcome of one {@code follow_page_mask()}: a page, nothing (fault needed), or an error. */
    private static final int FOLLOW_OK = 0;
    private static final int FOLLOW_FAULT = 1;
    private static final int FOLLOW_UNSHARE = 2;
    private static final int FOLLOW_ERROR = 3;

    /** Per-call scratch for the follow step. */
    private static final class Follow {
        final Walk walk = new Walk();
        Page page;
        int pageIncrement;
        Errno error;
    }

    GupSlow(Gup gup, Vm vm, Grab grab, LongtermRules rules) {
        this.gup = gup;
        this.vm = vm;
        this.mem = vm.mem();
        this.grab = grab;
        this.rules = rules;
        this.honorNumaFault = gup.kernel().get(GupFeatures.HONOR_NUMA_FAULT);
    }

    /**
     * Mirrors {@code __get_user_pages_locked()}: takes the mmap lock unless the caller holds it
     * ({@code *locked == 1}), adds FOLL_GET when pages are wanted without FOLL_PIN, and runs
     * {@link #getUserPages}.
     */
    long getUserPagesLocked(GupCall c, long start, int nrPages, boolean lockHeld) {
        Mm mm = c.mm;
        Cpu cpu = gup.cpu();
        c.slowRan = true;
        if (!lockHeld) {
            mm.mmapLock().downRead(cpu);
        }
        try {
            if (c.has(Foll.PIN)) {
                mm.setHasPinned();
            }
            if (c.pages != null && !c.has(Foll.PIN)) {
                c.flags |= Foll.GET.bit();
            }
            return getUserPages(c, start, nrPages);
        } finally {
            if (!lockHeld) {
                mm.mmapLock().upRead(cpu);
            }
        }
    }

    /** Mirrors {@code __get_user_pages()}: returns pages done, or the error if none were. */
    private long getUserPages(GupCall c, long start, int nrPages) {
        Mm mm = c.mm;
        long pageSize = mm.pageSize();
        Follow f = new Follow();
        Vma vma = null;
        int i = 0;
        Errno err = null;
        while (i < nrPages) {
            if (vma == null || start >= vma.vmEnd()) {
                vma = mm.vmaLookup(start);
                if (vma == null) {
                    err = c.has(Foll.MADV_POPULATE) ? Errno.ENOMEM : Errno.EFAULT;
                    c.stop("slow path: no VMA at 0x" + Long.toHexString(start));
                    break;
                }
                err = checkVmaFlags(c, vma);
                if (err != null) {
                    break;
                }
            }
            int outcome = followPageMask(c, vma, start, f);
            int tries = 0;
            while (outcome == FOLLOW_FAULT || outcome == FOLLOW_UNSHARE) {
                if (c.has(Foll.NOFAULT)) {
                    err = Errno.EFAULT;
                    c.stop("slow path: FOLL_NOFAULT and the page needs a fault");
                    break;
                }
                err = faultinPage(c, vma, start, outcome == FOLLOW_UNSHARE);
                if (err != null) {
                    break;
                }
                if (++tries > 8) {
                    throw new IllegalStateException("fault at 0x" + Long.toHexString(start) + " made no progress");
                }
                outcome = followPageMask(c, vma, start, f);
            }
            if (err != null) {
                break;
            }
            if (outcome == FOLLOW_ERROR) {
                if (f.error == Errno.EEXIST && c.pages == null) {
                    // A PTE without a struct page is fine when no pages were asked for.
                    i++;
                    start += pageSize;
                    continue;
                }
                err = f.error;
                break;
            }
            int increment = Math.min(f.pageIncrement, nrPages - i);
            if (c.pages != null) {
                c.pages[c.pagesOff + i] = f.page;
                // A huge mapping covers the next subpages too; grab them in one go.
                if (increment > 1) {
                    Folio folio = f.page.folio();
                    Errno e2 = grab.tryGrabFolio(folio, increment - 1, c.flags);
                    if (e2 != null) {
                        grab.gupPutFolio(folio, 1, c.flags);
                        err = e2;
                        break;
                    }
                    for (int j = 1; j < increment; j++) {
                        c.pages[c.pagesOff + i + j] = mem.pfnToPage(f.page.pfn() + j);
                    }
                }
            } else if (f.page != null && (c.flags & (Foll.GET.bit() | Foll.PIN.bit())) != 0) {
                grab.gupPutFolio(f.page.folio(), 1, c.flags);
            }
            i += increment;
            start += increment * pageSize;
        }
        return i > 0 ? i : (err == null ? 0 : err.negative());
    }

    /**
     * Mirrors {@code check_vma_flags()}: whether GUP may touch this VMA at all with these flags.
     * The order of the checks is the kernel's, and so is the errno each one gives.
     */
    private Errno checkVmaFlags(GupCall c, Vma vma) {
        long vmFlags = vma.flags();
        boolean write = c.has(Foll.WRITE);
        boolean anon = vma.isAnonymous();
        if ((vmFlags & (VmFlags.VM_IO | VmFlags.VM_PFNMAP)) != 0) {
            c.stop("slow path: VM_IO or VM_PFNMAP mapping");
            return Errno.EFAULT;
        }
        if (c.has(Foll.ANON) && !anon) {
            c.stop("slow path: FOLL_ANON on a non-anonymous mapping");
            return Errno.EFAULT;
        }
        if (c.has(Foll.LONGTERM) && vma.isFsdax()) {
            c.stop("slow path: FOLL_LONGTERM on an fsdax mapping");
            return Errno.EOPNOTSUPP;
        }
        if (vma.isSecretmem()) {
            c.stop("slow path: secretmem mapping");
            return Errno.EFAULT;
        }
        if (write) {
            if (!anon && !rules.writableFileMappingAllowed(vma, c.flags)) {
                c.stop(fileRefusal(vma));
                return Errno.EFAULT;
            }
            if ((vmFlags & VmFlags.VM_WRITE) == 0) {
                if (!c.has(Foll.FORCE)) {
                    c.stop("slow path: write to a read-only mapping");
                    return Errno.EFAULT;
                }
                if (!VmFlags.isCowMapping(vmFlags)) {
                    c.stop("slow path: FOLL_FORCE write to a mapping that is not copy-on-write");
                    return Errno.EFAULT;
                }
            }
        } else if ((vmFlags & VmFlags.VM_READ) == 0) {
            if (!c.has(Foll.FORCE) || (vmFlags & VmFlags.VM_MAYREAD) == 0) {
                c.stop("slow path: read of an unreadable mapping");
                return Errno.EFAULT;
            }
        }
        return null;
    }

    /** Why {@code writable_file_mapping_allowed()} said no, in the words of the rule that applied. */
    private String fileRefusal(Vma vma) {
        boolean shared = (vma.flags() & VmFlags.VM_SHARED) != 0;
        var fs = vma.file().inode().fs().type();
        if (shared && fs.dirtyTracked()) {
            return "slow path: shared writable mapping of a dirty-tracked file";
        }
        return "slow path: writable_file_mapping_allowed() as in " + gup.kernel().label() + " refused a "
                + (shared ? "shared " : "private ") + fs.kernelName() + " mapping";
    }

    /**
     * Mirrors {@code follow_page_mask()}: a locked walk to the page at {@code addr}, taking the
     * reference FOLL_GET or FOLL_PIN asks for.
     */
    private int followPageMask(GupCall c, Vma vma, long addr, Follow f) {
        Mm mm = c.mm;
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        Geometry g = pt.geometry();
        f.page = null;
        f.error = null;
        f.pageIncrement = 1;
        // pte_offset_map_lock() in follow_page_pte(): see PteOffsetMap.
        PteOffsetMap map = vm.pteOffsetMap();
        map.begin();
        try {
            Walk w = pt.walk(addr, f.walk, "follow_page_mask");
            if (!w.leafPresent) {
                if (c.has(Foll.DUMP) && (w.level == null || fmt.none(w.level, w.entry))) {
                    f.error = Errno.EFAULT;
                    return FOLLOW_ERROR;
                }
                return FOLLOW_FAULT;
            }
            Cpu cpu = gup.cpu();
            w.table.ptl().lock(cpu);
            try {
                if (w.level == Level.PTE && !map.pmdSame(w)) {
                    return FOLLOW_FAULT;
                }
                long e = w.table.read(w.index, w.level == Level.PTE ? "follow_page_pte" : "follow_huge_pmd");
                if (e != w.entry || !fmt.present(w.level, e)) {
                    return FOLLOW_FAULT;
                }
                return w.level == Level.PTE ? followPagePte(c, vma, w, e, f, fmt)
                        : followHuge(c, vma, addr, w, e, f, fmt, g);
            } finally {
                w.table.ptl().unlock(cpu);
            }
        } finally {
            map.end();
        }
    }

    /** Mirrors {@code follow_page_pte()}, called with the PTE lock held. */
    private int followPagePte(GupCall c, Vma vma, Walk w, long pte, Follow f, EntryFormat fmt) {
        if (fmt.leafProtnone(Level.PTE, pte) && !gupCanFollowProtnone(vma, c.flags)) {
            return FOLLOW_FAULT;
        }
        Page page = vm.faults().vmNormalPage(fmt, pte);
        if (c.has(Foll.WRITE) && !canFollowWritePte(fmt, Level.PTE, pte, page, vma, c.flags)) {
            return FOLLOW_FAULT;
        }
        if (page == null) {
            long pfn = fmt.leafPfn(Level.PTE, pte);
            if (c.has(Foll.DUMP)) {
                f.error = Errno.EFAULT;
                return FOLLOW_ERROR;
            }
            if (pfn == mem.zeroFolio().pfn()) {
                page = mem.zeroFolio();
            } else {
                f.error = Errno.EEXIST;
                c.stop("slow path: PTE without a struct page");
                return FOLLOW_ERROR;
            }
        }
        if (!fmt.leafWrite(Level.PTE, pte) && gup.gupMustUnshare(vma, c.flags, page)) {
            return FOLLOW_UNSHARE;
        }
        Folio folio = page.folio();
        Errno err = grab.tryGrabFolio(folio, 1, c.flags);
        if (err != null) {
            f.error = err;
            c.stop("slow path: try_grab_folio failed");
            return FOLLOW_ERROR;
        }
        if (c.has(Foll.PIN) && !gup.arch().archMakeFolioAccessible(folio)) {
            grab.gupPutFolio(folio, 1, c.flags);
            f.error = Errno.EFAULT;
            c.stop("slow path: arch_make_folio_accessible failed");
            return FOLLOW_ERROR;
        }
        if (c.has(Foll.TOUCH)) {
            if (c.has(Foll.WRITE) && !fmt.leafDirty(Level.PTE, pte) && !folio.dirty()) {
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
            }
            MmInternals.setFlag(folio, Folio.PG_REFERENCED);
        }
        f.page = page;
        return FOLLOW_OK;
    }

    /**
     * Mirrors {@code follow_huge_pmd()} / {@code follow_huge_pud()} (and hugetlb's use of them):
     * the subpage at {@code addr}, with the rest of the leaf reported as the page increment.
     */
    private int followHuge(GupCall c, Vma vma, long addr, Walk w, long e, Follow f, EntryFormat fmt, Geometry g) {
        Level level = w.level;
        if (fmt.leafProtnone(level, e) && !gupCanFollowProtnone(vma, c.flags)) {
            return FOLLOW_FAULT;
        }
        long size = g.size(level);
        long headPfn = fmt.leafPfn(level, e);
        Page head = mem.pfnToPage(headPfn);
        if (c.has(Foll.WRITE) && !canFollowWritePte(fmt, level, e, head, vma, c.flags)) {
            return FOLLOW_FAULT;
        }
        int sub = (int) ((addr & (size - 1)) >>> g.pageShift());
        Page page = mem.pfnToPage(headPfn + sub);
        if (!fmt.leafWrite(level, e) && gup.gupMustUnshare(vma, c.flags, head)) {
            return FOLLOW_UNSHARE;
        }
        Folio folio = head.folio();
        Errno err = grab.tryGrabFolio(folio, 1, c.flags);
        if (err != null) {
            f.error = err;
            return FOLLOW_ERROR;
        }
        if (c.has(Foll.TOUCH)) {
            long ne = fmt.mkYoung(level, e);
            if (c.has(Foll.WRITE)) {
                ne = fmt.mkDirty(level, ne);
            }
            if (ne != e) {
                PgtableInternals.write(w.table, w.index, ne, "touch_pmd");
            }
            MmInternals.setFlag(folio, Folio.PG_REFERENCED);
        }
        f.page = page;
        f.pageIncrement = (int) ((size - (addr & (size - 1))) >>> g.pageShift());
        return FOLLOW_OK;
    }

    /**
     * Mirrors {@code gup_can_follow_protnone()}: whether the slow path may take the page behind a
     * PROT_NONE (or NUMA-hinting) entry instead of faulting. FOLL_FORCE must always be able to:
     * in a PROT_NONE VMA a fault leaves the entry PROT_NONE, so faulting would never make
     * progress. 6.2-6.4 followed such entries for FOLL_FORCE only; since 6.5
     * (FOLL_HONOR_NUMA_FAULT) GUP follows them unless the caller asks to honour NUMA hinting
     * faults in an accessible VMA.
     */
    private boolean gupCanFollowProtnone(Vma vma, int flags) {
        if (!honorNumaFault) {
            return (flags & Foll.FORCE.bit()) != 0;
        }
        if ((flags & Foll.HONOR_NUMA_FAULT.bit()) == 0) {
            return true;
        }
        return (vma.flags() & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) == 0;
    }

    /**
     * Mirrors {@code can_follow_write_pte()}: a writable entry, or FOLL_FORCE on a private mapping
     * that is not writable, where the page is already our exclusive anonymous copy (the CoW was
     * broken by an earlier fault, which did not make the PTE writable because the VMA is not).
     */
    private static boolean canFollowWritePte(EntryFormat fmt, Level level, long e, Page page, Vma vma, int flags) {
        if (fmt.leafWrite(level, e)) {
            return true;
        }
        if ((flags & Foll.FORCE.bit()) == 0) {
            return false;
        }
        long vf = vma.flags();
        if ((vf & (VmFlags.VM_MAYSHARE | VmFlags.VM_SHARED)) != 0 || (vf & VmFlags.VM_MAYWRITE) == 0
                || (vf & VmFlags.VM_WRITE) != 0) {
            return false;
        }
        return page != null && page.folio().anon() && page.pageAnonExclusive();
    }

    /**
     * Mirrors {@code faultin_page()}: a write fault for FOLL_WRITE, an unshare fault where a
     * read-only pin needs an exclusive page.
     *
     * @return null, or the errno the fault gives
     */
    private Errno faultinPage(GupCall c, Vma vma, long addr, boolean unshare) {
        int faultFlags = 0;
        if (c.has(Foll.WRITE)) {
            faultFlags |= VmFault.FAULT_FLAG_WRITE;
        }
        if (c.has(Foll.REMOTE)) {
            faultFlags |= VmFault.FAULT_FLAG_REMOTE;
        }
        if (unshare) {
            faultFlags |= VmFault.FAULT_FLAG_UNSHARE;
        }
        int ret = vm.faults().handleMmFault(vma, addr, faultFlags);
        Errno err = VmFault.toErrno(ret, c.has(Foll.HWPOISON));
        if (err != null) {
            c.stop((ret & VmFault.VM_FAULT_OOM) != 0 ? "slow path: out of memory in the fault"
                    : "slow path: fault failed (SIGBUS/SIGSEGV)");
        }
        return err;
    }
}
