package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.tlb.MmuGather;

/**
 * mmap, munmap, mprotect, madvise and exit. Mirrors mm/mmap.c ({@code do_mmap},
 * {@code vma_needs_dirty_tracking}, {@code vma_wants_writenotify}), mm/vma.c
 * ({@code do_vmi_munmap}, {@code unmap_region}), mm/mprotect.c and mm/madvise.c.
 * Return values follow the syscalls: an address or 0 on success, a negative errno on failure.
 * VMAs are split where an operation needs it and merged with compatible neighbours as mm/vma.c
 * does ({@link VmaMerge}).
 */
public final class Mmap {
    /** {@code mmap_min_addr}. */
    public static final long MMAP_MIN_ADDR = 0x10000;

    private final Vm vm;
    private final VmaMerge merge;

    Mmap(Vm vm) {
        this.vm = vm;
        this.merge = new VmaMerge(vm, this);
    }

    /**
     * Mirrors {@code vma_needs_dirty_tracking()} as merged in 6.5: only a shared writable mapping
     * can need it; then a {@code page_mkwrite} handler, or a file whose mapping does writeback.
     */
    public static boolean vmaNeedsDirtyTracking(Vma vma) {
        long shw = VmFlags.VM_WRITE | VmFlags.VM_SHARED;
        if ((vma.flags() & shw) != shw) {
            return false;
        }
        return vmaFileNeedsDirtyTracking(vma);
    }

    /**
     * The file part of {@code vma_needs_dirty_tracking()}, which is all the v6 and v7 postings of
     * the series had: {@code page_mkwrite}, not a PFN map, and a mapping that can write back.
     */
    public static boolean vmaFileNeedsDirtyTracking(Vma vma) {
        if (vma.hasPageMkwrite()) {
            return true;
        }
        if ((vma.flags() & VmFlags.VM_PFNMAP) != 0) {
            return false;
        }
        return vma.file() != null && vma.file().inode().fs().type().canWriteback();
    }

    /** Mirrors {@code vma_wants_writenotify()} for the cases modelled (no soft-dirty, no uffd-wp). */
    public static boolean vmaWantsWritenotify(Vma vma) {
        return vmaNeedsDirtyTracking(vma);
    }

    private static long pageAlign(long len, long pageSize) {
        return (len + pageSize - 1) & -pageSize;
    }

    /**
     * The end of the range {@code madvise(start, len_in)} acts on, or a negative errno: mirrors the
     * checks of mm/madvise.c {@code do_madvise()} ({@code madvise_checks()} / the start of
     * {@code do_madvise()} in older releases), with {@code len} read as the kernel's
     * {@code size_t}: {@code start} not page-aligned, or a length that {@code PAGE_ALIGN()} rounds
     * up past zero or that wraps {@code start + len} around, is -EINVAL. An end past what the model's
     * longs can hold lies above every VMA and is cut to the task size: the same VMAs are acted on.
     *
     * @return the end (equal to {@code start} when there is nothing to do), or -EINVAL
     */
    static long madviseEnd(Mm mm, long start, long len) {
        long pageSize = mm.pageSize();
        if ((start & (pageSize - 1)) != 0) {
            return Errno.EINVAL.negative();
        }
        long aligned = pageAlign(len, pageSize);
        // "Check to see whether len was rounded up from small -ve to zero."
        if (len != 0 && aligned == 0) {
            return Errno.EINVAL.negative();
        }
        long end = start + aligned;
        if (Long.compareUnsigned(end, start) < 0) {
            return Errno.EINVAL.negative();
        }
        return end < start ? mm.taskSize() : end;
    }

    /**
     * Mirrors {@code do_mmap()}.
     *
     * @param file the file to map, or null with MAP_ANONYMOUS
     * @return the address, or a negative errno
     */
    public long doMmap(Mm mm, long addr, long len, int prot, int flags, OpenFile file, long offset) {
        long pageSize = mm.pageSize();
        if (len <= 0) {
            return Errno.EINVAL.negative();
        }
        if ((offset & (pageSize - 1)) != 0 || offset < 0) {
            return Errno.EINVAL.negative();
        }
        int type = flags & (VmFlags.MAP_SHARED | VmFlags.MAP_PRIVATE);
        if (type != VmFlags.MAP_SHARED && type != VmFlags.MAP_PRIVATE) {
            return Errno.EINVAL.negative();
        }
        boolean shared = type == VmFlags.MAP_SHARED;
        boolean anonymous = (flags & VmFlags.MAP_ANONYMOUS) != 0;
        if (anonymous == (file != null)) {
            return Errno.EINVAL.negative();
        }
        Vfs vfs = vm.vfs();
        OpenFile created = null;
        if (anonymous && (flags & VmFlags.MAP_HUGETLB) != 0) {
            int hshift = (flags >>> VmFlags.MAP_HUGE_SHIFT) & 0x3f;
            if (hshift == 0) {
                // default_hstate: the architecture's HPAGE_SIZE, the first size it lists
                long[] sizes = vm.arch().hugePageSizes();
                if (sizes.length == 0) {
                    return Errno.EINVAL.negative();
                }
                hshift = Long.numberOfTrailingZeros(sizes[0]);
            }
            if (!hugeSizeSupported(1L << hshift)) {
                return Errno.EINVAL.negative();
            }
            len = pageAlign(len, 1L << hshift);
            created = vfs.memfdCreate("anon_hugepage", Vfs.MFD_HUGETLB, hshift);
            vfs.ftruncate(created, len);
            file = created;
        } else if (anonymous && shared) {
            // shmem_zero_setup(): MAP_SHARED|MAP_ANONYMOUS is a shmem file underneath.
            created = vfs.memfdCreate("dev/zero", 0, 0);
            vfs.ftruncate(created, pageAlign(len, pageSize));
            file = created;
        }
        try {
            return mapIt(mm, addr, len, prot, flags, file, offset, anonymous && created == null);
        } finally {
            if (created != null) {
                vfs.fput(created);
            }
        }
    }

    private boolean hugeSizeSupported(long size) {
        for (long s : vm.arch().hugePageSizes()) {
            if (s == size) {
                return true;
            }
        }
        return false;
    }

    private long mapIt(Mm mm, long addr, long len, int prot, int flags, OpenFile file, long offset, boolean anon) {
        long pageSize = mm.pageSize();
        boolean shared = (flags & VmFlags.MAP_SHARED) != 0;
        long align = pageSize;
        if (file != null) {
            FsType t = file.inode().fs().type();
            if (t == FsType.HUGETLBFS) {
                align = 1L << file.inode().folioPageShift(mm.pageShift());
                if ((offset & (align - 1)) != 0) {
                    return Errno.EINVAL.negative();
                }
            }
            if (t == FsType.SECRETMEM && !shared) {
                return Errno.EINVAL.negative();
            }
            if (shared && (prot & VmFlags.PROT_WRITE) != 0 && !file.writable()) {
                return Errno.EACCES.negative();
            }
        }
        len = pageAlign(len, align);
        if (len <= 0 || len > mm.taskSize()) {
            return Errno.ENOMEM.negative();
        }
        if (anon && len >= mm.pageTables().geometry().size(Level.PMD)
                && mm.pageTables().geometry().leafAllowed(Level.PMD)) {
            align = mm.pageTables().geometry().size(Level.PMD);
        }
        long vmFlags = VmFlags.calcVmProtBits(prot) | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
        if (shared) {
            vmFlags |= VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE;
            if (file != null && !file.writable()) {
                vmFlags &= ~(VmFlags.VM_MAYWRITE | VmFlags.VM_SHARED);
            }
        }
        if (file != null && file.inode().fs().type() == FsType.HUGETLBFS) {
            vmFlags |= VmFlags.VM_HUGETLB | VmFlags.VM_DONTEXPAND;
        }
        if (file != null && file.inode().fs().type() == FsType.SECRETMEM) {
            vmFlags |= VmFlags.VM_LOCKED | VmFlags.VM_DONTDUMP;
        }
        long start;
        if ((flags & VmFlags.MAP_FIXED) != 0) {
            if ((addr & (align - 1)) != 0) {
                return Errno.EINVAL.negative();
            }
            if (addr < MMAP_MIN_ADDR || addr + len > mm.taskSize()) {
                return Errno.ENOMEM.negative();
            }
            long r = doMunmap(mm, addr, len);
            if (r < 0) {
                return r;
            }
            start = addr;
        } else {
            start = getUnmappedArea(mm, addr, len, align);
            if (start < 0) {
                return start;
            }
        }
        int archRet = vm.arch().archEnsureAddressLimit(mm, start + len);
        if (archRet < 0) {
            return archRet;
        }
        long pgoff = file == null ? start >>> mm.pageShift() : offset >>> mm.pageShift();
        // __mmap_region(): "Attempt to expand an old mapping" before making a new VMA.
        if (merge.mergeNewRange(mm, start, start + len, vmFlags, file, pgoff) != null) {
            return start;
        }
        Vma vma = new Vma(mm, start, start + len, vmFlags, pgoff, file);
        setPageProt(vma);
        linkVma(mm, vma);
        return start;
    }

    private void setPageProt(Vma vma) {
        EntryFormat fmt = vma.mm().pageTables().format();
        long flags = vma.flags();
        vma.setPageProt(vmaWantsWritenotify(vma)
                ? fmt.vmGetPageProt(flags & ~VmFlags.VM_SHARED)
                : fmt.vmGetPageProt(flags));
    }

    void linkVma(Mm mm, Vma vma) {
        mm.vmaTree().put(vma.vmStart(), vma);
        if (vma.file() != null) {
            vm.vfs().getFile(vma.file());
            vma.file().inode().mapping().iMmap().add(vma);
        }
        for (AnonVma a : vma.anonVmaChain()) {
            if (!a.vmas().contains(vma)) {
                a.vmas().add(vma);
            }
        }
    }

    void unlinkVma(Mm mm, Vma vma) {
        mm.vmaTree().remove(vma.vmStart());
        if (vma.file() != null) {
            vma.file().inode().mapping().iMmap().remove(vma);
            vm.vfs().fput(vma.file());
        }
        for (AnonVma a : vma.anonVmaChain()) {
            a.vmas().remove(vma);
        }
    }

    /**
     * Mirrors {@code get_unmapped_area()} with the top-down allocator: the hint if it is free,
     * else the highest aligned gap below {@code mmap_base}.
     */
    long getUnmappedArea(Mm mm, long hint, long len, long align) {
        long limit = mm.taskSize();
        if (hint != 0) {
            long h = (hint + align - 1) & -align;
            if (h >= MMAP_MIN_ADDR && h + len <= limit && rangeFree(mm, h, h + len)) {
                return h;
            }
        }
        long end = Math.min(vm.arch().mmapBase(), limit);
        for (Vma v : mm.vmaTree().descendingMap().values()) {
            if (v.vmStart() >= end) {
                continue;
            }
            long cand = (end - len) & -align;
            if (cand >= v.vmEnd() && cand >= MMAP_MIN_ADDR) {
                return cand;
            }
            end = Math.min(end, v.vmStart());
        }
        long cand = (end - len) & -align;
        return cand >= MMAP_MIN_ADDR && end >= len ? cand : Errno.ENOMEM.negative();
    }

    private static boolean rangeFree(Mm mm, long start, long end) {
        Vma v = mm.findVma(start);
        return v == null || v.vmStart() >= end;
    }

    /** Splits {@code vma} at {@code addr}; returns the upper part. Mirrors {@code split_vma()}. */
    private Vma splitVma(Mm mm, Vma vma, long addr) {
        mm.vmaStartWrite(vma);
        vm.hugeMemory.splitHugePmdIfNeeded(vma, addr);
        long pgoffAt = vma.linearPageIndex(addr);
        Vma upper = new Vma(mm, addr, vma.vmEnd(), vma.flags(), pgoffAt, vma.file());
        upper.setPageProt(vma.pageProt());
        upper.setAnonVma(vma.anonVma());
        upper.anonVmaChain().addAll(vma.anonVmaChain());
        vma.setRange(vma.vmStart(), addr, vma.vmPgoff());
        linkVma(mm, upper);
        return upper;
    }

    private static long hugeAlignOf(Vma vma) {
        if (!vma.isHugetlb()) {
            return vma.mm().pageSize();
        }
        return 1L << vma.file().inode().folioPageShift(vma.mm().pageShift());
    }

    /** Splits VMAs so that {@code start} and {@code end} are VMA boundaries; -EINVAL if a hugetlb VMA would split unaligned. */
    private long splitAt(Mm mm, long start, long end) {
        Vma v = mm.vmaLookup(start);
        if (v != null && v.vmStart() < start) {
            if ((start & (hugeAlignOf(v) - 1)) != 0) {
                return Errno.EINVAL.negative();
            }
            splitVma(mm, v, start);
        }
        Vma w = mm.vmaLookup(end - 1);
        if (w != null && w.vmEnd() > end) {
            if ((end & (hugeAlignOf(w) - 1)) != 0) {
                return Errno.EINVAL.negative();
            }
            splitVma(mm, w, end);
        }
        return 0;
    }

    /** Mirrors {@code do_munmap()} / {@code do_vmi_munmap()}. */
    public long doMunmap(Mm mm, long start, long len) {
        long pageSize = mm.pageSize();
        if ((start & (pageSize - 1)) != 0 || len <= 0) {
            return Errno.EINVAL.negative();
        }
        len = pageAlign(len, pageSize);
        long end = start + len;
        if (end > mm.taskSize() || end < start) {
            return Errno.EINVAL.negative();
        }
        long r = splitAt(mm, start, end);
        if (r < 0) {
            return r;
        }
        List<Vma> victims = new ArrayList<>(mm.vmaTree().subMap(start, end).values());
        if (victims.isEmpty()) {
            return 0;
        }
        mm.noteUserUnmap(start, end);
        // vms_gather_munmap_vmas(): each VMA going away is write-locked, so that nobody still
        // works in it under its per-VMA lock (a fault, madvise(MADV_DONTNEED)) while its pages and
        // tables go; they fall back to the mmap lock and find it gone.
        for (Vma v : victims) {
            mm.vmaStartWrite(v);
        }
        unmapRegion(mm, victims, start, end);
        for (Vma v : victims) {
            unlinkVma(mm, v);
        }
        return 0;
    }

    /**
     * Mirrors {@code unmap_region()}: zap the VMAs, free the page tables that served only them,
     * then {@code tlb_finish_mmu()} flushes and frees in the kernel's order.
     */
    private void unmapRegion(Mm mm, List<Vma> victims, long start, long end) {
        MmuGather tlb = vm.tlbGatherMmu(mm);
        for (Vma v : victims) {
            vm.zap.zapRange(tlb, v, Math.max(start, v.vmStart()), Math.min(end, v.vmEnd()), null);
        }
        // The victims are still linked, at keys in [start, end), so these are their neighbours.
        var prevEntry = mm.vmaTree().lowerEntry(start);
        var nextEntry = mm.vmaTree().ceilingEntry(end);
        Vma prev = prevEntry == null ? null : prevEntry.getValue();
        Vma next = nextEntry == null ? null : nextEntry.getValue();
        long floor = prev == null ? 0 : prev.vmEnd();
        long ceiling = next == null ? mm.pageTables().geometry().addressLimit() : next.vmStart();
        PgtableFree.freePgtables(tlb, mm, start, end, floor, ceiling);
        tlb.tlbFinishMmu();
    }

    /**
     * Mirrors {@code do_mprotect_pkey()} (mm/mprotect.c) for {@code mprotect()}, with the mmap lock
     * held for write by the caller, in the kernel's order: {@code PROT_GROWSDOWN} with
     * {@code PROT_GROWSUP} is -EINVAL; a misaligned start -EINVAL; a zero length 0; a length that
     * {@code PAGE_ALIGN()} wraps past zero or that wraps {@code start + len} -ENOMEM (read as the
     * kernel's {@code size_t}; one past what a long holds lies above every VMA); prot bits other
     * than read, write, exec and {@code PROT_SEM} -EINVAL (the generic
     * {@code arch_validate_prot()}); then the VMAs: none in the range, or a hole at its start,
     * -ENOMEM with nothing changed. Each VMA in turn is checked ({@code VM_MAY*} must allow the new
     * access: -EACCES) and changed ({@link #mprotectFixup}); a hole after a VMA stops the walk
     * with -ENOMEM, as does an error: the VMAs before it keep their new protection. The TLB flush
     * is gathered over the whole call.
     */
    public long doMprotect(Mm mm, long start, long len, int prot) {
        int grows = prot & (VmFlags.PROT_GROWSDOWN | VmFlags.PROT_GROWSUP);
        prot &= ~(VmFlags.PROT_GROWSDOWN | VmFlags.PROT_GROWSUP);
        if (grows == (VmFlags.PROT_GROWSDOWN | VmFlags.PROT_GROWSUP)) {
            return Errno.EINVAL.negative();  // "can't be both"
        }
        long pageSize = mm.pageSize();
        if ((start & (pageSize - 1)) != 0) {
            return Errno.EINVAL.negative();
        }
        if (len == 0) {
            return 0;
        }
        long end = start + pageAlign(len, pageSize);
        if (Long.compareUnsigned(end, start) <= 0) {
            return Errno.ENOMEM.negative();
        }
        if ((prot & ~(VmFlags.PROT_READ | VmFlags.PROT_WRITE | VmFlags.PROT_EXEC | VmFlags.PROT_SEM)) != 0) {
            return Errno.EINVAL.negative();  // arch_validate_prot()
        }
        if (end < start) {
            end = mm.taskSize();
        }
        Vma vma = mm.findVma(start);  // vma_find(&vmi, end)
        if (vma == null || vma.vmStart() >= end) {
            return Errno.ENOMEM.negative();
        }
        if (grows == VmFlags.PROT_GROWSDOWN) {
            start = vma.vmStart();
            if ((vma.flags() & VmFlags.VM_GROWSDOWN) == 0) {
                return Errno.EINVAL.negative();
            }
        } else {
            if (vma.vmStart() > start) {
                return Errno.ENOMEM.negative();
            }
            if (grows == VmFlags.PROT_GROWSUP) {
                return Errno.EINVAL.negative();  // no VM_GROWSUP on the modelled architectures
            }
        }
        MmuGather tlb = vm.tlbGatherMmu(mm);
        long error = 0;
        long nstart = start;
        long tmp = vma.vmStart();
        long newProt = VmFlags.calcVmProtBits(prot);
        for (; vma != null && vma.vmStart() < end; vma = mm.findVma(tmp)) {
            if (vma.vmStart() != tmp) {
                error = Errno.ENOMEM.negative();
                break;
            }
            long newflags = newProt | (vma.flags() & ~VmFlags.VM_ACCESS_FLAGS);
            // "newflags >> 4 shift VM_MAY% in place of VM_%"
            if ((newflags & ~(newflags >> 4) & VmFlags.VM_ACCESS_FLAGS) != 0) {
                error = Errno.EACCES.negative();
                break;
            }
            tmp = Math.min(vma.vmEnd(), end);
            long r = mprotectFixup(tlb, vma, nstart, tmp, newflags);
            if (r < 0) {
                error = r;
                break;
            }
            // "tmp = vma_iter_end(&vmi)": the end of the VMA now holding the range, which a merge
            // with the next VMA moves past it (that VMA already has these flags).
            tmp = r;
            nstart = tmp;
        }
        tlb.tlbFinishMmu();
        if (error == 0 && tmp < end) {
            error = Errno.ENOMEM.negative();
        }
        return error;
    }

    /**
     * Mirrors {@code mprotect_fixup()} for {@code [start, end)} of {@code vma}: nothing when the
     * flags do not change; else {@code vma_modify_flags()} merges the range with a compatible
     * neighbour ({@link VmaMerge#mergeExistingRange}) or splits the VMA at the range's ends
     * (-EINVAL for a hugetlb VMA split off its huge page size); the VMA that holds the range is
     * write-locked, given the new flags and page protection, and the range's present entries
     * rewritten ({@link #changeProtection}).
     *
     * @return the end of the VMA now holding the range, or a negative errno
     */
    private long mprotectFixup(MmuGather tlb, Vma vma, long start, long end, long newflags) {
        if (newflags == vma.flags()) {
            return vma.vmEnd();
        }
        Vma v = vmaModifyFlags(vma, start, end, newflags);
        if (v == null) {
            return Errno.EINVAL.negative();
        }
        vma.mm().vmaStartWrite(v);
        v.setFlags(newflags);
        setPageProt(v);
        changeProtection(tlb, v, start, end);
        return v.vmEnd();
    }

    /**
     * Mirrors {@code vma_modify_flags()} → {@code vma_modify()}: the VMA that will hold
     * {@code [start, end)} of {@code vma} with {@code newFlags}: a neighbour it merges into, else
     * {@code vma} split at the range's ends.
     *
     * @return that VMA, or null where a hugetlb VMA would split off its huge page size (-EINVAL)
     */
    private Vma vmaModifyFlags(Vma vma, long start, long end, long newFlags) {
        Mm mm = vma.mm();
        Vma merged = merge.mergeExistingRange(mm, vma, start, end, newFlags);
        if (merged != null) {
            return merged;
        }
        if (splitAt(mm, start, end) < 0) {
            return null;
        }
        return mm.vmaLookup(start);
    }

    /**
     * Mirrors {@code change_protection()}: rewrites every present leaf with the VMA's new
     * protection. Write permission is given back directly only where a write fault would grant it
     * anyway ({@code can_change_pte_writable()}): exclusive anonymous pages in private mappings,
     * already dirty pages or no write-notify in shared ones.
     */
    private void changeProtection(MmuGather tlb, Vma vma, long start, long end) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Walk w = new Walk();
        long step = vma.mm().pageSize();
        for (long a = start; a < end; a += step) {
            pt.walk(a, w, "change_protection");
            step = vma.mm().pageSize();
            if (w.level == null || fmt.none(w.level, w.entry) || !w.leafPresent) {
                if (w.level != null && w.level != Level.PTE) {
                    step = Math.max(step, pt.geometry().size(w.level) - (a & (pt.geometry().size(w.level) - 1)));
                }
                continue;
            }
            if (w.level != Level.PTE) {
                step = pt.geometry().size(w.level);
            }
            long e = w.entry;
            long ne = fmt.modify(w.level, e, vma.pageProt());
            if ((vma.flags() & VmFlags.VM_WRITE) != 0 && !fmt.leafWrite(w.level, ne) && canChangeWritable(vma, w, e)) {
                ne = fmt.mkWrite(w.level, ne);
            }
            if (ne != e) {
                PageTable t = w.table;
                var cpu = vm.cpu();
                t.ptl().lock(cpu);
                try {
                    PgtableInternals.write(t, w.index, ne, "change_pte_range");
                } finally {
                    t.ptl().unlock(cpu);
                }
                tlb.tlbAdjustRange(a, step);
            }
        }
    }

    private boolean canChangeWritable(Vma vma, Walk w, long e) {
        EntryFormat fmt = vma.mm().pageTables().format();
        if ((vma.flags() & VmFlags.VM_SHARED) != 0) {
            return !vmaWantsWritenotify(vma) || fmt.leafDirty(w.level, e);
        }
        Page p = w.level == Level.PTE ? vm.faults().vmNormalPage(fmt, e) : vm.mem().pfnToPage(fmt.leafPfn(w.level, e));
        return p != null && p.folio().anon() && p.pageAnonExclusive();
    }

    /**
     * Mirrors {@code madvise_dontneed_single_vma()} for {@code [start, end)} of {@code v}, which
     * the caller holds by the mmap lock (for read) or by its own VMA lock: every mapping is zapped,
     * private CoW copies included ({@code even_cows}), and with CONFIG_PT_RECLAIM the PTE tables
     * left empty are freed ({@code reclaim_pt}). {@code madvise_dontneed_free_valid_vma()}: a
     * locked or PFN-mapped VMA is -EINVAL; a hugetlb VMA (supported since 5.18) needs a start
     * aligned to its huge page size (-EINVAL) and has the end rounded down to it ("Avoid
     * unexpected data loss by rounding down the number of huge pages freed"), nothing to do if
     * that leaves nothing.
     */
    long madviseDontneedSingleVma(MmuGather tlb, Vma v, long start, long end) {
        if (v.isHugetlb()) {
            long hsize = hugeAlignOf(v);
            if ((start & (hsize - 1)) != 0) {
                return Errno.EINVAL.negative();
            }
            end &= -hsize;
            if (end == start) {
                return 0;
            }
        } else if ((v.flags() & (VmFlags.VM_LOCKED | VmFlags.VM_PFNMAP)) != 0) {
            return Errno.EINVAL.negative();
        }
        v.mm().noteUserUnmap(start, end);
        vm.zap.zapRange(tlb, v, start, end, new Zap.ZapDetails(null, true, vm.ptReclaim()));
        return 0;
    }

    /**
     * {@code madvise(MADV_DONTNEED)} of {@code [start, end)}, which lies in {@code v}, under
     * {@code v}'s own lock: the per-VMA-lock path of {@code madvise_walk_vmas()}.
     */
    public long madviseDontneedVma(Vma v, long start, long end) {
        Validate.isTrue(v != null && start >= v.vmStart() && end <= v.vmEnd(), "the range must lie in the VMA");
        MmuGather tlb = vm.tlbGatherMmu(v.mm());
        long r = madviseDontneedSingleVma(tlb, v, start, end);
        tlb.tlbFinishMmu();
        return r;
    }

    /**
     * Mirrors {@code do_madvise()} for MADV_HUGEPAGE, MADV_DONTNEED, MADV_PAGEOUT and MADV_COLLAPSE,
     * with the lock the advice needs held by the caller: an advice the model does not know is
     * -EINVAL before the range is looked at ({@code madvise_behavior_valid()}), then the range
     * checks ({@link #madviseEnd}), an empty range is 0, and {@link #madviseWalkVmas} applies the
     * advice to each VMA of the range. MADV_DONTNEED gathers its TLB flush and the pages it frees
     * over the whole call ({@code madvise_init_tlb()} / {@code madvise_finish_tlb()}), finished
     * even when a VMA refuses the advice.
     */
    public long doMadvise(Mm mm, long start, long len, int advice) {
        if (advice != VmFlags.MADV_HUGEPAGE && advice != VmFlags.MADV_DONTNEED && advice != VmFlags.MADV_PAGEOUT
                && advice != VmFlags.MADV_COLLAPSE) {
            return Errno.EINVAL.negative();
        }
        long end = madviseEnd(mm, start, len);
        if (end <= start) {
            return Math.min(end, 0);
        }
        return switch (advice) {
            case VmFlags.MADV_HUGEPAGE -> madviseWalkVmas(mm, start, end, this::madviseHugepage);
            case VmFlags.MADV_DONTNEED -> {
                MmuGather tlb = vm.tlbGatherMmu(mm);
                long r = madviseWalkVmas(mm, start, end, (v, s, e) -> madviseDontneedSingleVma(tlb, v, s, e));
                tlb.tlbFinishMmu();
                yield r;
            }
            case VmFlags.MADV_PAGEOUT -> madviseWalkVmas(mm, start, end, vm.vmscan::madvisePageout);
            default -> madviseWalkVmas(mm, start, end, vm.khugepaged()::madviseCollapse);
        };
    }

    /** An advice applied to {@code [start, end)} of one VMA: 0 or a negative errno. */
    @FunctionalInterface
    interface VmaAdvice {
        long apply(Vma vma, long start, long end);
    }

    /**
     * Mirrors {@code madvise_walk_vmas()} (mm/madvise.c; the same rule since 2.6): the advice is
     * applied to the part of each VMA inside {@code [start, end)}, in address order. A gap between
     * VMAs, or before the first, does not stop the walk: the mapped parts are advised and the call
     * then answers -ENOMEM ("just ignore them, but return -ENOMEM at the end"); a range with no VMA
     * from {@code start} on is -ENOMEM at once. An error from a VMA ends the walk with that error
     * (the VMAs before it keep the advice). The next VMA is looked up by address after each one
     * ({@code find_vma()}), as the kernel does when the advice dropped the mmap lock
     * (MADV_COLLAPSE): the VMA just advised may be gone by then.
     */
    static long madviseWalkVmas(Mm mm, long start, long end, VmaAdvice advice) {
        long unmappedError = 0;
        Vma vma = mm.findVma(start);
        for (;;) {
            if (vma == null) {
                return Errno.ENOMEM.negative();
            }
            if (start < vma.vmStart()) {
                unmappedError = Errno.ENOMEM.negative();
                start = vma.vmStart();
                if (start >= end) {
                    break;
                }
            }
            long to = Math.min(vma.vmEnd(), end);
            long r = advice.apply(vma, start, to);
            if (r < 0) {
                return r;
            }
            if (to >= end) {
                break;
            }
            vma = mm.findVma(to);
            start = to;
        }
        return unmappedError;
    }

    /**
     * MADV_HUGEPAGE on {@code [start, end)} of {@code v}: {@code hugepage_madvise()} sets
     * {@code VM_HUGEPAGE} and {@code madvise_update_vma()} merges the range with a compatible
     * neighbour or splits the VMA at the range's ends ({@code vma_modify_flags_name()}), unless
     * the flags do not change; the VMA that holds the range is write-locked and given the flag.
     */
    private long madviseHugepage(Vma v, long start, long end) {
        long newFlags = v.flags() | VmFlags.VM_HUGEPAGE;
        if (newFlags == v.flags()) {
            return 0;  // "new_flags == vma->vm_flags": nothing to change, nothing split
        }
        Vma part = vmaModifyFlags(v, start, end, newFlags);
        if (part == null) {
            return Errno.EINVAL.negative();
        }
        v.mm().vmaStartWrite(part);
        part.setFlags(newFlags);
        return 0;
    }

    /**
     * Mirrors {@code exit_mmap()} and the final {@code mm_free_pgd()}: everything is unmapped, every
     * table freed, the top one last.
     */
    public void exitMmap(Mm mm) {
        if (mm.dead()) {
            return;
        }
        List<Vma> all = new ArrayList<>(mm.vmaTree().values());
        MmuGather tlb = vm.tlbGatherMmu(mm);
        for (Vma v : all) {
            vm.zap.zapRange(tlb, v, v.vmStart(), v.vmEnd(), null);
        }
        long limit = mm.pageTables().geometry().addressLimit();
        PgtableFree.freePgtables(tlb, mm, 0, limit, 0, limit);
        tlb.tlbFinishMmu();
        for (Vma v : all) {
            unlinkVma(mm, v);
        }
        mm.pageTables().freeTable(mm.pageTables().root(), "mm_free_pgd");
        mm.markDead();
    }
}
