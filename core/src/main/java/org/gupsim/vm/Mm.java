package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.sched.WeakCell;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.RwSemaphore;
import org.gupsim.smp.SpinLock;
import org.gupsim.tlb.TlbMm;

/**
 * An {@code mm_struct}: the VMAs (by start address, like the maple tree), the page tables, the
 * mmap lock, pin and lock accounting, and the fork sequence count GUP-fast checks.
 */
public final class Mm implements WeakCell {
    /** {@code MMF_HAS_PINNED}: this mm has ever had pages pinned (fork then copies rather than shares them). */
    public static final long MMF_HAS_PINNED = 1L << 27;

    /** {@link WeakCell} field: {@code mm->flags}, changed with atomic bit operations. */
    public static final int FIELD_FLAGS = 0;
    /** {@link WeakCell} field: {@code mm->write_protect_seq}, which GUP-fast reads locklessly. */
    public static final int FIELD_WRITE_PROTECT_SEQ = 1;

    private final int id;
    private final Vm vm;
    private final PageTables pageTables;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final RwSemaphore mmapLock;
    private final SpinLock pageTableLock;
    private final TlbMm tlbMm;
    private long flags;
    private long lockedVm;
    private long pinnedVm;
    private long rssAnon;
    private long rssFile;
    private int writeProtectSeq;
    private boolean dead;
    /** VMAs write-locked in the current mmap-lock write section; all unlocked by {@link #mmapWriteUnlock}. */
    private final List<Vma> vmasWriteLocked = new ArrayList<>();
    /** Ranges the user asked the kernel to drop, {start, end} in the order asked; see {@link #noteUserUnmap}. */
    private final List<long[]> userUnmaps = new ArrayList<>();

    Mm(int id, Vm vm, PageTables pageTables) {
        this.id = id;
        this.vm = vm;
        this.pageTables = pageTables;
        var sched = vm.mem().sched();
        this.mmapLock = new RwSemaphore("mmap_lock(mm" + id + ")", sched);
        this.pageTableLock = new SpinLock("page_table_lock(mm" + id + ")", sched);
        this.tlbMm = new TlbMm(vm.smp(), vm.tlbs(), id, "mm" + id);
        PgtableInternals.setOwnerId(pageTables, id);
    }

    public int id() {
        return id;
    }

    public Vm vm() {
        return vm;
    }

    public PageTables pageTables() {
        return pageTables;
    }

    public int pageShift() {
        return pageTables.geometry().pageShift();
    }

    public long pageSize() {
        return 1L << pageShift();
    }

    public RwSemaphore mmapLock() {
        return mmapLock;
    }

    /**
     * Mirrors include/linux/mmap_lock.h {@code mmap_assert_write_locked()}: lockdep's check that
     * the calling CPU holds the mmap lock for write, for code that changes what every lockless
     * walker of this mm may see. Reported as a {@link ViolationKind#LOCKING} violation naming
     * {@code function}, and in direct mode thrown as a {@code KernelBugException}.
     */
    public void mmapAssertWriteLocked(String function) {
        Cpu cpu = vm.smp().current();
        if (!mmapLock.isWriteLockedBy(cpu)) {
            vm.mem().sched().report(new Violation(ViolationKind.LOCKING, function + " on " + this + " by " + cpu
                    + " without mmap_lock held for write (mmap_assert_write_locked)"));
        }
    }

    /**
     * Mirrors {@code mmap_write_unlock()}: {@code vma_end_write_all()} first (every VMA this
     * writer locked with {@link #vmaStartWrite} is unlocked at once, as the kernel does by bumping
     * {@code mm->mm_lock_seq}), then {@code up_write()}.
     */
    public void mmapWriteUnlock(Cpu cpu) {
        for (Vma v : vmasWriteLocked) {
            vm.mem().sched().point(v, Access.RELEASE, "vma_end_write_all");
            v.setVmWriteLocked(false);
        }
        vmasWriteLocked.clear();
        mmapLock.upWrite(cpu);
    }

    /**
     * Mirrors include/linux/mmap_lock.h {@code vma_start_write()}: with the mmap lock held for
     * write, marks {@code vma} write-locked until {@link #mmapWriteUnlock}, after waiting for those
     * who hold it for read (page faults, {@code madvise(MADV_DONTNEED)} under the per-VMA lock) to
     * leave. From then on {@link #vmaStartRead} fails and its callers fall back to the mmap lock.
     */
    public void vmaStartWrite(Vma vma) {
        mmapAssertWriteLocked("vma_start_write");
        if (vma.vmWriteLocked()) {
            return;
        }
        vm.mem().sched().waitUntil(vma, -1, Access.ACQUIRE, "vma_start_write", () -> vma.vmLockReaders() == 0,
                "readers of the per-VMA lock of " + vma + " to leave");
        vma.setVmWriteLocked(true);
        vmasWriteLocked.add(vma);
    }

    /**
     * Mirrors {@code vma_start_read()}: takes {@code vma}'s lock for read unless a writer has
     * locked it, without waiting (the caller then takes the mmap lock instead).
     */
    public boolean vmaStartRead(Vma vma) {
        vm.mem().sched().point(vma, Access.ACQUIRE, "vma_start_read");
        if (vma.vmWriteLocked()) {
            return false;
        }
        vma.addVmLockReaders(1);
        return true;
    }

    /** Mirrors {@code vma_end_read()}. */
    public void vmaEndRead(Vma vma) {
        vm.mem().sched().point(vma, Access.RELEASE, "vma_end_read");
        vma.addVmLockReaders(-1);
    }

    /**
     * Mirrors mm/mmap_lock.c {@code lock_vma_under_rcu()}: the VMA containing {@code addr}, locked
     * for read, or null when there is none or it is write-locked (the caller falls back to
     * {@code mmap_read_lock()}). The maple-tree lookup is a read that mmap-lock writers order
     * against, which the step names by the mmap lock; a VMA found but detached or shrunk meanwhile
     * is given back, as the kernel rechecks after locking it.
     */
    public Vma lockVmaUnderRcu(long addr) {
        vm.mem().sched().point(mmapLock, Access.READ, "lock_vma_under_rcu");
        Vma v = vmaLookup(addr);
        if (v == null || !vmaStartRead(v)) {
            return null;
        }
        if (vmas.get(v.vmStart()) != v || !v.contains(addr)) {
            vmaEndRead(v);
            return null;
        }
        return v;
    }

    public SpinLock pageTableLock() {
        return pageTableLock;
    }

    public TlbMm tlbMm() {
        return tlbMm;
    }

    /** {@code TASK_SIZE} for this mm. */
    public long taskSize() {
        return vm.arch().taskSizeMax();
    }

    public long flags() {
        return flags;
    }

    /** Mirrors {@code mm_set_has_pinned_flag()}: {@code set_bit()}, which returns nothing and orders nothing. */
    public void setHasPinned() {
        if ((flags & MMF_HAS_PINNED) == 0) {
            vm.mem().sched().point(this, -1, Access.RMW, Order.RELAXED, "mm_set_has_pinned_flag", this, FIELD_FLAGS);
            flags |= MMF_HAS_PINNED;
        }
    }

    /** {@code mm->locked_vm} in pages. */
    public long lockedVm() {
        return lockedVm;
    }

    public void addLockedVm(long pages) {
        lockedVm += pages;
    }

    /** {@code mm->pinned_vm} in pages. */
    public long pinnedVm() {
        return pinnedVm;
    }

    public void addPinnedVm(long pages) {
        pinnedVm += pages;
    }

    public long rssAnon() {
        return rssAnon;
    }

    public long rssFile() {
        return rssFile;
    }

    void addRss(boolean anon, long delta) {
        if (anon) {
            rssAnon += delta;
        } else {
            rssFile += delta;
        }
    }

    /** Mirrors {@code test_bit(MMF_HAS_PINNED, &mm->flags)}, a read other CPUs' pins race with. */
    public boolean testHasPinned() {
        Sched sched = vm.mem().sched();
        sched.point(this, -1, Access.READ, Order.RELAXED, "test_bit(MMF_HAS_PINNED)", this, FIELD_FLAGS);
        return (sched.load(this, FIELD_FLAGS, flags) & MMF_HAS_PINNED) != 0;
    }

    /**
     * {@code mm->write_protect_seq}: odd while fork copies page tables. Mirrors the read of
     * {@code raw_read_seqcount()} and {@code read_seqcount_retry()}; their {@code smp_rmb()}s are
     * the caller's ({@code gup_fast()}).
     */
    public int readWriteProtectSeq() {
        Sched sched = vm.mem().sched();
        sched.point(this, -1, Access.READ, Order.RELAXED, "raw_read_seqcount(write_protect_seq)", this,
                FIELD_WRITE_PROTECT_SEQ);
        return (int) sched.load(this, FIELD_WRITE_PROTECT_SEQ, writeProtectSeq);
    }

    /**
     * Mirrors {@code raw_write_seqcount_begin(&mm->write_protect_seq)}, which fork's
     * {@code copy_page_range()} runs before write-protecting a CoW mapping: the count goes odd,
     * so a FOLL_PIN GUP-fast that starts now, or ends after this, falls back to the slow path.
     * The kernel's {@code s->sequence++} is a plain store by the one writer (under the mmap lock
     * for writing), then {@code smp_wmb()}.
     */
    void rawWriteSeqcountBegin() {
        Sched sched = vm.mem().sched();
        sched.point(this, -1, Access.RMW, Order.RELAXED, "raw_write_seqcount_begin(write_protect_seq)", this,
                FIELD_WRITE_PROTECT_SEQ);
        writeProtectSeq++;
        sched.fence(Primitive.WMB, "raw_write_seqcount_begin");
    }

    /** Mirrors {@code raw_write_seqcount_end(&mm->write_protect_seq)}: {@code smp_wmb()}, then even again. */
    void rawWriteSeqcountEnd() {
        Sched sched = vm.mem().sched();
        sched.fence(Primitive.WMB, "raw_write_seqcount_end");
        sched.point(this, -1, Access.RMW, Order.RELAXED, "raw_write_seqcount_end(write_protect_seq)", this,
                FIELD_WRITE_PROTECT_SEQ);
        writeProtectSeq++;
    }

    /**
     * The {@link WeakCell} fields: {@link #FIELD_FLAGS} (bit operations) and
     * {@link #FIELD_WRITE_PROTECT_SEQ} (one writer adds to it: taken as a count).
     */
    @Override
    public long weakValue(int field) {
        return switch (field) {
            case FIELD_FLAGS -> flags;
            case FIELD_WRITE_PROTECT_SEQ -> writeProtectSeq;
            default -> throw new IllegalArgumentException("field must be FIELD_FLAGS or FIELD_WRITE_PROTECT_SEQ, was "
                    + field);
        };
    }

    @Override
    public void setWeakValue(int field, long value) {
        switch (field) {
            case FIELD_FLAGS -> flags = value;
            case FIELD_WRITE_PROTECT_SEQ -> writeProtectSeq = (int) value;
            default -> throw new IllegalArgumentException("field must be FIELD_FLAGS or FIELD_WRITE_PROTECT_SEQ, was "
                    + field);
        }
    }

    @Override
    public Merge weakMerge(int field) {
        return field == FIELD_FLAGS ? Merge.BITS : Merge.ADD;
    }

    public boolean dead() {
        return dead;
    }

    /**
     * Records that the user asked the kernel to drop whatever {@code [start, end)} maps: munmap,
     * mmap(MAP_FIXED) over it, madvise(MADV_DONTNEED), truncation or hole punching of a mapped
     * file. Only those syscall paths call this; a kernel path that moves or replaces a page on its
     * own (collapse, migration, swap-out, KSM, CoW) must not, so that the pin-lost check (in the
     * checkers' package) can tell "the user unmapped it" (allowed: the pin
     * outlives the mapping) from "the kernel replaced it behind the pin" (a bug). The kernel has no
     * such record; it is the checker's view of the syscalls made.
     */
    void noteUserUnmap(long start, long end) {
        userUnmaps.add(new long[] {start, end});
    }

    /** How many user unmaps {@link #noteUserUnmap} has recorded: a mark for {@link #userUnmappedSince}. */
    public int userUnmapMark() {
        return userUnmaps.size();
    }

    /** Whether the user asked to drop {@code addr} after {@code mark} ({@link #userUnmapMark}) was taken. */
    public boolean userUnmappedSince(int mark, long addr) {
        for (int i = mark; i < userUnmaps.size(); i++) {
            long[] r = userUnmaps.get(i);
            if (addr >= r[0] && addr < r[1]) {
                return true;
            }
        }
        return false;
    }

    void markDead() {
        dead = true;
    }

    /** Mirrors {@code vma_lookup()}: the VMA containing {@code addr}, or null. */
    public Vma vmaLookup(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null || !e.getValue().contains(addr)) {
            return null;
        }
        return e.getValue();
    }

    /** Mirrors {@code find_vma()}: the first VMA ending above {@code addr}, or null. */
    public Vma findVma(long addr) {
        Vma v = vmaLookup(addr);
        if (v != null) {
            return v;
        }
        Map.Entry<Long, Vma> e = vmas.higherEntry(addr);
        return e == null ? null : e.getValue();
    }

    TreeMap<Long, Vma> vmaTree() {
        return vmas;
    }

    /** All VMAs in address order. */
    public List<Vma> vmas() {
        return new ArrayList<>(vmas.values());
    }

    @Override
    public String toString() {
        return "mm" + id;
    }
}
