package org.gupsim.vm;

import org.apache.commons.lang3.Validate;
import org.gupsim.fs.Vfs;
import org.gupsim.fs.internal.FsInternals;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.PageTables;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.Smp;
import org.gupsim.tlb.CpuTlbs;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.MmuGather;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.tlb.TlbFeatures;
import org.gupsim.util.Args;

/**
 * The memory manager of one machine: it creates address spaces and holds the fault, huge-page,
 * zap, mmap and reverse-map code together with the architecture variant they run on. The parts
 * that are not API, and the kernel facts they branch on, are package-private final fields: the
 * parts ({@link VmPart}s) reach each other through them, as each reaches its {@code vm} and
 * {@code mem}.
 */
public final class Vm {
    private final PhysMem mem;
    private final Smp smp;
    private final Vfs vfs;
    private final VmArch arch;
    private final Faults faults;
    /** Transparent huge pages (mm/huge_memory.c). */
    final HugeMemory hugeMemory;
    /** hugetlbfs faults (mm/hugetlb.c). */
    final Hugetlb hugetlb;
    /** Zapping user mappings (mm/memory.c {@code unmap_page_range()}). */
    final Zap zap;
    private final Khugepaged khugepaged;
    private final PteOffsetMap pteOffsetMap;
    private final boolean pteOffsetMapRcu;
    private final VmFeatures.DontneedLock dontneedLock;
    private final VmFeatures.PtReclaim ptReclaim;
    private final Rmap rmap;
    private final Mmap mmap;
    /** fork()'s copy of an address space (kernel/fork.c {@code dup_mmap()}). */
    final Fork fork;
    /** try_to_unmap() and try_to_migrate() (mm/rmap.c). */
    final RmapUnmap rmapUnmap;
    /** Reclaim to swap (mm/vmscan.c {@code shrink_folio_list()}). */
    final Vmscan vmscan;
    /** Faults on swap entries (mm/memory.c {@code do_swap_page()}). */
    final SwapIn swapIn;
    private final CpuTlbs tlbs;
    private final TableFreePolicy tableFreePolicy;
    /** Whether fork writes {@code mm->write_protect_seq} around copying a CoW mapping (57efa1fe5957). */
    final boolean writeProtectSeq;
    /**
     * Whether fork copies anonymous pages that may be pinned instead of sharing them
     * (70e806e4e645, 5.9; {@code folio_needs_cow_for_dma()}).
     */
    final boolean earlyCowForDma;
    /**
     * Whether {@code folio_try_share_anon_rmap_pte()} refuses pages that may be pinned
     * (6c287605fd56, 5.19).
     */
    final boolean anonSharePinCheck;
    /** Whether the kernel has 088b8aa537c2's barriers ({@link AnonFeatures#ANON_EXCLUSIVE_BARRIERS}). */
    final boolean anonExclusiveBarriers;
    private int nextMmId = 1;

    /**
     * @param kernel the kernel: where it sets {@link TlbFeatures#TABLE_FREE_AS_CONFIGURED} to
     *               {@code immediate}, tables are freed right after the flush whatever the
     *               architecture's table-freeing policy
     */
    public Vm(PhysMem mem, Smp smp, Vfs vfs, VmArch arch, Kernel kernel) {
        this.mem = Args.notNull(mem, "mem");
        this.smp = Args.notNull(smp, "smp");
        this.vfs = Args.notNull(vfs, "vfs");
        this.arch = Args.notNull(arch, "arch");
        Validate.isTrue(arch.pageShift() == mem.pageShift(), "arch page size must match memory page size");
        Args.notNull(kernel, "kernel");
        this.tlbs = new CpuTlbs(smp);
        this.tableFreePolicy = kernel.get(TlbFeatures.TABLE_FREE_AS_CONFIGURED) ? arch.tableFreePolicy()
                : new ImmediateTableFree();
        this.writeProtectSeq = kernel.get(AnonFeatures.WRITE_PROTECT_SEQ);
        this.earlyCowForDma = kernel.get(AnonFeatures.EARLY_COW);
        this.anonSharePinCheck = kernel.get(AnonFeatures.ANON_SHARE_PIN_CHECK);
        this.anonExclusiveBarriers = kernel.get(AnonFeatures.ANON_EXCLUSIVE_BARRIERS);
        this.rmap = new Rmap(this);
        this.faults = new Faults(this);
        this.hugeMemory = new HugeMemory(this);
        this.hugetlb = new Hugetlb(this);
        this.zap = new Zap(this);
        this.pteOffsetMap = new PteOffsetMap(this);
        this.pteOffsetMapRcu = kernel.get(VmFeatures.PTE_OFFSET_MAP_RCU);
        this.dontneedLock = kernel.get(VmFeatures.DONTNEED_LOCK);
        this.ptReclaim = kernel.get(VmFeatures.PT_RECLAIM);
        this.khugepaged = new Khugepaged(this, kernel.get(VmFeatures.COLLAPSE_TABLE_SYNC),
                kernel.get(VmFeatures.RETRACT_PAGE_TABLES));
        this.mmap = new Mmap(this);
        this.fork = new Fork(this);
        this.rmapUnmap = new RmapUnmap(this);
        this.vmscan = new Vmscan(this);
        this.swapIn = new SwapIn(this);
        FsInternals.setRmapHooks(vfs, rmap);
    }

    public PhysMem mem() {
        return mem;
    }

    public Smp smp() {
        return smp;
    }

    public Vfs vfs() {
        return vfs;
    }

    public VmArch arch() {
        return arch;
    }

    /** Every CPU's TLB. */
    public CpuTlbs tlbs() {
        return tlbs;
    }

    /** How this machine frees page tables: the architecture's policy, unless the kernel is patched to free at once. */
    public TableFreePolicy tableFreePolicy() {
        return tableFreePolicy;
    }

    /** Page faults (mm/memory.c {@code handle_mm_fault()} and the handlers below it). */
    public Faults faults() {
        return faults;
    }

    /**
     * Whether {@code pte_offset_map()} holds {@code rcu_read_lock()} for locked walkers (from 6.6,
     * a349d72fd9ef), and they recheck the PMD once they hold the PTE lock ({@link PteOffsetMap}).
     */
    public boolean pteOffsetMapRcu() {
        return pteOffsetMapRcu;
    }

    /** The RCU section and PMD recheck locked walkers take around a PTE table. */
    public PteOffsetMap pteOffsetMap() {
        return pteOffsetMap;
    }

    /**
     * Whether {@code madvise(MADV_DONTNEED)} tries the VMA's own lock before the mmap lock
     * (mm/madvise.c {@code MADVISE_VMA_READ_LOCK}).
     */
    public boolean madviseDontneedVmaLock() {
        return dontneedLock == VmFeatures.DontneedLock.VMA_READ;
    }

    /**
     * Whether CONFIG_PT_RECLAIM is built: {@code madvise(MADV_DONTNEED)} then frees the PTE tables
     * it empties. It needs MMU_GATHER_RCU_TABLE_FREE (the variant frees tables through RCU) and the
     * generic {@code __tlb_remove_table()}.
     */
    public boolean ptReclaim() {
        return switch (ptReclaim) {
            case NONE -> false;
            case OPT_IN -> arch.archSupportsPtReclaim() && tableFreePolicy.promise().rcuTableFree();
            case RCU_TABLE_FREE -> tableFreePolicy.promise().rcuTableFree() && !arch.haveArchTlbRemoveTable();
        };
    }

    /** khugepaged's collapse into transparent huge pages (mm/khugepaged.c). */
    public Khugepaged khugepaged() {
        return khugepaged;
    }

    /** The reverse map (mm/rmap.c). */
    public Rmap rmap() {
        return rmap;
    }

    /** mmap, munmap, mprotect, madvise (mm/mmap.c, mm/mprotect.c, mm/madvise.c). */
    public Mmap mmap() {
        return mmap;
    }

    /**
     * Reclaims swap-cache folios nothing uses any more (see {@code Vmscan.reclaimUnusedSwapCache});
     * {@code World.teardown()} runs it after every process has exited, as reclaim eventually would.
     */
    public void reclaimUnusedSwapCache() {
        mem.sched().checkCaller();
        vmscan.reclaimUnusedSwapCache();
    }

    /**
     * The Java-level guard of an entry point that acts on an address space from outside its
     * process (ksmd's merge, khugepaged's collapse), once per call and never per page: the
     * machine's driving thread and a machine not torn down ({@code Sched.checkCaller}), an
     * {@code mm} that is not null and is this machine's, and in direct mode one whose process has
     * not exited. The kernel's daemons test {@code mm_users} and skip an exiting mm
     * ({@code hpage_collapse_test_exit()}, {@code ksm_test_exit()}); a Java caller handing one an
     * {@code Mm} whose process is gone holds a stale reference, a mistake of the caller, so it is an
     * exception and never a kernel verdict. Explored, scenarios race exit on purpose and the
     * checkers judge what happens.
     *
     * @param name the argument's name, for the message
     * @throws IllegalArgumentException if {@code mm} is null or another machine's
     * @throws IllegalStateException if its process exited, or see {@code Sched.checkCaller}
     */
    void enter(Mm mm, String name) {
        mem.sched().checkCaller();
        Validate.isTrue(mm != null, "%s must not be null", name);
        Validate.isTrue(mm.vm() == this, "%s (%s) belongs to another machine", name, mm);
        if (mm.dead() && !mem.sched().explored()) {
            throw new IllegalStateException(name + " (" + mm + ") was torn down (its process exited)");
        }
    }

    /** The CPU the calling code runs on. */
    public Cpu cpu() {
        return smp.current();
    }

    /** Mirrors {@code mm_alloc()} + {@code mm_init()}: an empty address space with a top table. */
    public Mm mmAlloc() {
        PageTables pt = new PageTables(mem, arch.newMmGeometry(), arch.entryFormat(), arch.fragmentsPerPage());
        Mm mm = new Mm(nextMmId++, this, pt);
        mm.tlbMm().addCpu(smp.current().id());
        arch.flushBackend().initMm(mm.tlbMm());
        return mm;
    }

    /** Mirrors {@code tlb_gather_mmu()} for {@code mm} with this machine's backends. */
    public MmuGather tlbGatherMmu(Mm mm) {
        return new MmuGather(mm.tlbMm(), mm.pageTables(), arch.flushBackend(), tableFreePolicy);
    }
}
