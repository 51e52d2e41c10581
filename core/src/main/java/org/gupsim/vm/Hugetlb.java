package org.gupsim.vm;

import org.gupsim.fs.Inode;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;

/**
 * Faults on hugetlbfs mappings. Mirrors mm/hugetlb.c: {@code hugetlb_fault()},
 * {@code hugetlb_no_page()} and the copying half of {@code hugetlb_wp()}, with the leaves laid out
 * as the architecture's {@code set_huge_pte_at()} writes them ({@link VmArch#hugetlbLeaves}).
 */
final class Hugetlb extends VmPart {
    Hugetlb(Vm vm) {
        super(vm);
    }

    /**
     * Mirrors {@code hugetlb_wp()} copying a private hugetlb page-cache folio: every entry of the
     * mapping is cleared and flushed before the copy is mapped by as many new ones.
     */
    int hugetlbCow(Vma vma, long addr, Walk w, int n, Folio old, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        Geometry g = mm.pageTables().geometry();
        Folio copy = mem.allocFolio(old.order(), Gfp.HIGHUSER);
        if (copy == null) {
            return VmFault.VM_FAULT_OOM;
        }
        MmInternals.setFlag(copy, Folio.PG_HUGETLB | Folio.PG_UPTODATE);
        int hshift = g.pageShift() + old.order();
        long haddr = addr & -(1L << hshift);
        vm.rmap().anonVmaPrepare(vma);
        vm.rmap().folioAddNewAnonRmap(copy, vma, haddr);
        for (int i = 0; i < n; i++) {
            PgtableInternals.getAndClear(w.table, w.index + i, vm.arch().ptepGetAndClearOrder(), "huge_ptep_clear_flush");
        }
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), haddr, haddr + (1L << hshift), false);
        long step = g.size(w.level) >>> g.pageShift();
        for (int i = 0; i < n; i++) {
            long entry = fmt.mkLeaf(w.level, copy.pfn() + i * step, vma.pageProt());
            if ((flags & VmFault.FAULT_FLAG_UNSHARE) == 0) {
                entry = fmt.mkDirty(w.level, Faults.maybeMkwrite(fmt, vma, w.level, entry));
            }
            entry = vm.arch().archMakeHugePte(w.level, fmt.mkYoung(w.level, entry), hshift);
            PgtableInternals.write(w.table, w.index + i, entry, "set_huge_pte_at");
        }
        vm.rmap().folioRemoveRmap(old);
        mem.folioPut(old);
        return 0;
    }

    /**
     * Mirrors {@code hugetlb_fault()} / {@code hugetlb_no_page()}: map a whole huge folio with the
     * leaves the architecture lays it out in ({@link VmArch#hugetlbLeaves}: one leaf whose size
     * matches the file's huge page size, or a contiguous group), each entry given its part of the
     * folio and passed through {@code arch_make_huge_pte()}, as {@code set_huge_pte_at()} writes
     * them. The folio gets one reference and one map count for the whole mapping, however many
     * entries it takes. Shared mappings map the page-cache folio; private ones get an anonymous
     * huge folio of their own.
     */
    int hugetlbFault(Vma vma, long addr, int flags) {
        Mm mm = vma.mm();
        PageTables pt = mm.pageTables();
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        Inode inode = vma.file().inode();
        int hshift = inode.folioPageShift(g.pageShift());
        HugetlbLeaves leaves = vm.arch().hugetlbLeaves(g, hshift);
        if (leaves == null) {
            return VmFault.VM_FAULT_SIGBUS;
        }
        Level level = leaves.level();
        int n = leaves.entries();
        long haddr = addr & -(1L << hshift);
        Walk w = new Walk();
        if (pt.walkAlloc(haddr, level, w, "hugetlb_fault") == null) {
            return VmFault.VM_FAULT_OOM;
        }
        if (!fmt.none(level, w.entry)) {
            return vm.hugeMemory.hugeLeafFault(vma, addr, w, n, flags);
        }
        boolean shared = (vma.flags() & VmFlags.VM_SHARED) != 0;
        Folio folio;
        if (shared) {
            folio = vm.vfs().findOrCreateFolio(inode, vma.linearPageIndex(haddr));
            if (folio == null) {
                return vm.vfs().lastFaultOom() ? VmFault.VM_FAULT_OOM : VmFault.VM_FAULT_SIGBUS;
            }
            mem.folioGet(folio);
            vm.rmap().folioAddFileRmap(folio);
        } else {
            if (inode.size() < ((vma.linearPageIndex(haddr) + 1) << g.pageShift())) {
                return VmFault.VM_FAULT_SIGBUS;
            }
            folio = mem.allocFolio(hshift - g.pageShift(), Gfp.HIGHUSER);
            if (folio == null) {
                return VmFault.VM_FAULT_OOM;
            }
            MmInternals.setFlag(folio, Folio.PG_HUGETLB | Folio.PG_UPTODATE);
            vm.rmap().anonVmaPrepare(vma);
            vm.rmap().folioAddNewAnonRmap(folio, vma, haddr);
        }
        long step = g.size(level) >>> g.pageShift();
        for (int i = 0; i < n; i++) {
            long entry = fmt.mkLeaf(level, folio.pfn() + i * step, vma.pageProt());
            if ((flags & VmFault.FAULT_FLAG_WRITE) != 0 || !shared) {
                entry = Faults.maybeMkwrite(fmt, vma, level, entry);
                if ((flags & VmFault.FAULT_FLAG_WRITE) != 0) {
                    entry = fmt.mkDirty(level, entry);
                }
            }
            entry = vm.arch().archMakeHugePte(level, fmt.mkYoung(level, entry), hshift);
            PgtableInternals.write(w.table, w.index + i, entry, "set_huge_pte_at");
        }
        mm.addRss(!shared, folio.nrPages());
        return 0;
    }

    /** The leaves a hugetlb VMA's pages take, or null for any other VMA. */
    HugetlbLeaves hugetlbLeavesOf(Vma vma) {
        if (!vma.isHugetlb()) {
            return null;
        }
        Geometry g = vma.mm().pageTables().geometry();
        return vm.arch().hugetlbLeaves(g, vma.file().inode().folioPageShift(g.pageShift()));
    }

}
