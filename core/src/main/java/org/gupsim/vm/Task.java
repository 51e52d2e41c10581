package org.gupsim.vm;

import org.apache.commons.lang3.Validate;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.CpuTlb;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.util.Args;

/**
 * A user process ({@code task_struct} with its {@code mm}): the system calls that shape its
 * address space, and {@link #touch} for what its instructions do to memory. Returns follow the
 * syscalls: an address or 0, or a negative errno.
 */
public final class Task {
    /** Default {@code RLIMIT_MEMLOCK} since 5.16: 8 MiB. */
    public static final long DEFAULT_RLIMIT_MEMLOCK = 8L << 20;

    private final int pid;
    private final Vm vm;
    private final Mm mm;
    private final Sched sched;
    private boolean exited;
    private long rlimitMemlock = DEFAULT_RLIMIT_MEMLOCK;
    private boolean capIpcLock;
    private long userLockedVm;

    Task(int pid, Vm vm, Mm mm) {
        this.pid = pid;
        this.vm = vm;
        this.mm = mm;
        this.sched = vm.mem().sched();
    }

    /** Creates a process with a fresh address space. */
    public static Task create(Vm vm, int pid) {
        Args.notNull(vm, "vm");
        return new Task(pid, vm, vm.mmAlloc());
    }

    public int pid() {
        return pid;
    }

    public Mm mm() {
        return mm;
    }

    public Vm vm() {
        return vm;
    }

    /** {@code rlimit(RLIMIT_MEMLOCK)} in bytes. */
    public long rlimitMemlock() {
        return rlimitMemlock;
    }

    public void setRlimitMemlock(long bytes) {
        Validate.isTrue(bytes >= 0, "bytes must not be negative, was %d", bytes);
        rlimitMemlock = bytes;
    }

    /** {@code capable(CAP_IPC_LOCK)}: exempt from RLIMIT_MEMLOCK. */
    public boolean capIpcLock() {
        return capIpcLock;
    }

    public void setCapIpcLock(boolean value) {
        capIpcLock = value;
    }

    /** {@code current_user()->locked_vm} in pages (io_uring and KVM account pins there). */
    public long userLockedVm() {
        return userLockedVm;
    }

    public void addUserLockedVm(long pages) {
        userLockedVm += pages;
    }

    /**
     * The calling CPU runs this process: it joins {@code mm_cpumask} ({@code switch_mm()}), so
     * shootdowns for this mm reach it from now on.
     */
    public void enter() {
        checkUsable();
        vm.cpu().switchMm(mm);
        mm.tlbMm().switchMm(vm.cpu().id());
    }

    /** {@code mmap(2)}. */
    public long mmap(long addr, long len, int prot, int flags, OpenFile file, long offset) {
        enter();
        mm.mmapLock().downWrite(vm.cpu());
        try {
            return vm.mmap().doMmap(mm, addr, len, prot, flags, file, offset);
        } finally {
            mm.mmapWriteUnlock(vm.cpu());
        }
    }

    /** {@code munmap(2)}. */
    public long munmap(long addr, long len) {
        enter();
        mm.mmapLock().downWrite(vm.cpu());
        try {
            return vm.mmap().doMunmap(mm, addr, len);
        } finally {
            mm.mmapWriteUnlock(vm.cpu());
        }
    }

    /** {@code mprotect(2)}. */
    public long mprotect(long addr, long len, int prot) {
        enter();
        mm.mmapLock().downWrite(vm.cpu());
        try {
            return vm.mmap().doMprotect(mm, addr, len, prot);
        } finally {
            mm.mmapWriteUnlock(vm.cpu());
        }
    }

    /**
     * {@code madvise(2)} with MADV_HUGEPAGE, MADV_DONTNEED, MADV_PAGEOUT or MADV_COLLAPSE, under
     * the lock mm/madvise.c {@code get_lock_mode()} chooses for the advice. MADV_HUGEPAGE changes
     * {@code vm_flags}: the mmap lock for write. MADV_PAGEOUT only reclaims: the mmap lock for
     * read. MADV_COLLAPSE: the mmap lock for read, which {@code madvise_collapse()} drops and
     * takes again around each collapse. MADV_DONTNEED only zaps: the mmap lock for read, so page faults, GUP's slow path and
     * other zaps run beside it; and on kernels with the per-VMA lock path
     * ({@link Vm#madviseDontneedVmaLock()}) only the VMA's own lock when the range lies within one
     * VMA ({@code try_vma_read_lock()}: {@code lock_vma_under_rcu()}, falling back to the mmap
     * lock for read when there is no such VMA, it is write-locked, or the range leaves it).
     */
    public long madvise(long addr, long len, int advice) {
        enter();
        Cpu cpu = vm.cpu();
        if (advice != VmFlags.MADV_DONTNEED && advice != VmFlags.MADV_PAGEOUT && advice != VmFlags.MADV_COLLAPSE) {
            mm.mmapLock().downWrite(cpu);
            try {
                return vm.mmap().doMadvise(mm, addr, len, advice);
            } finally {
                mm.mmapWriteUnlock(cpu);
            }
        }
        long end = Mmap.madviseEnd(mm, addr, len);
        if (end <= addr) {
            return Math.min(end, 0);
        }
        if (advice == VmFlags.MADV_DONTNEED && vm.madviseDontneedVmaLock()) {
            Vma v = mm.lockVmaUnderRcu(addr);
            if (v != null) {
                try {
                    if (end <= v.vmEnd()) {
                        return vm.mmap().madviseDontneedVma(v, addr, end);
                    }
                } finally {
                    mm.vmaEndRead(v);
                }
            }
        }
        mm.mmapLock().downRead(cpu);
        try {
            return vm.mmap().doMadvise(mm, addr, len, advice);
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }

    /**
     * What user instructions do to {@code [addr, addr+len)}: a load (or with {@code write} a store,
     * as memset does) of every page. The MMU sets accessed and dirty bits where the entry allows
     * the access; otherwise the page fault handler runs ({@code do_user_addr_fault}), which first
     * checks the VMA's permissions ({@code access_error}).
     *
     * @return 0, or -EFAULT where the process would have been sent SIGSEGV or SIGBUS, -ENOMEM on OOM
     */
    public long touch(long addr, long len, boolean write) {
        Validate.isTrue(len >= 0, "len must not be negative, was %d", len);
        long pageSize = mm.pageSize();
        long end = addr + len;
        Walk w = new Walk();
        enter();
        mm.mmapLock().downRead(vm.cpu());
        try {
            for (long a = addr & -pageSize; a < end; a += pageSize) {
                long r = touchOne(a, write, w);
                if (r != 0) {
                    return r;
                }
            }
            return 0;
        } finally {
            mm.mmapLock().upRead(vm.cpu());
        }
    }

    private long touchOne(long a, boolean write, Walk w) {
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        CpuTlb tlb = vm.tlbs().of(vm.cpu().id());
        long vpage = a >>> mm.pageShift();
        long cached = tlb.lookup(mm.id(), vpage, write);
        if (cached >= 0) {
            // A TLB hit: the MMU uses the cached translation without walking. If the frame was
            // freed while a stale entry survived, this access is a use-after-free.
            Folio f = vm.mem().pfnToPage(cached).folio();
            if (f.freed()) {
                vm.mem().sched().report(Violation.useAfterFree(Violation.STALE_TLB, vm.cpu() + " accessed "
                        + f + " at 0x" + Long.toHexString(a) + " through a stale TLB entry after it was freed"));
            }
            return 0;
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            Vma vma = mm.vmaLookup(a);
            if (vma == null) {
                return Errno.EFAULT.negative();
            }
            long need = write ? VmFlags.VM_WRITE : (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC);
            if ((vma.flags() & need) == 0) {
                return Errno.EFAULT.negative();
            }
            pt.walk(a, w, "user access");
            if (w.leafPresent && fmt.accessPermitted(w.level, w.entry, write)) {
                long e = fmt.mkYoung(w.level, w.entry);
                if (write) {
                    e = fmt.mkDirty(w.level, e);
                }
                if (e != w.entry) {
                    PgtableInternals.write(w.table, w.index, e, "hardware A/D update");
                }
                long size = pt.geometry().size(w.level);
                long pfn = fmt.leafPfn(w.level, e) + ((a & (size - 1)) >>> mm.pageShift());
                tlb.fill(mm.id(), vpage, pfn, fmt.accessPermitted(w.level, e, true));
                return 0;
            }
            int flags = VmFault.FAULT_FLAG_USER | (write ? VmFault.FAULT_FLAG_WRITE : 0);
            int fault = vm.faults().handleMmFault(vma, a, flags);
            Errno err = VmFault.toErrno(fault, false);
            if (err != null) {
                return err.negative();
            }
        }
        throw new IllegalStateException("fault at 0x" + Long.toHexString(a) + " did not make progress");
    }

    /**
     * {@code fork(2)}: a new process whose address space is a copy of this one's
     * ({@code copy_mm()} → {@code dup_mm()} → {@code dup_mmap()}). Private memory is shared
     * copy-on-write, except pages that may be pinned, which the child gets a copy of at once;
     * shared mappings are shared. The child inherits the memlock limit and CAP_IPC_LOCK, not the
     * locked or pinned page counts.
     *
     * @param childPid the child's pid
     * @return the child, or null where the kernel's fork would fail with -ENOMEM
     */
    public Task fork(int childPid) {
        Validate.isTrue(childPid > 0, "childPid must be positive, was %d", childPid);
        enter();
        Mm child = vm.fork.dupMmap(mm);
        if (child == null) {
            return null;
        }
        Task t = new Task(childPid, vm, child);
        t.rlimitMemlock = rlimitMemlock;
        t.capIpcLock = capIpcLock;
        return t;
    }

    /** Whether the process has {@link #exit exited}. */
    public boolean exited() {
        return exited;
    }

    /**
     * The Java-level guard of every system call: the machine's driving thread (see
     * {@code Sched.checkCaller}), and a process that has not exited. A process that has exited
     * makes no more system calls: using its {@code Task} is a mistake of the caller, not
     * something the kernel would answer.
     *
     * @throws IllegalStateException if the process has exited, or see {@code Sched.checkCaller}
     */
    private void checkUsable() {
        sched.checkCaller();
        if (exited) {
            throw new IllegalStateException(this + " has exited: it makes no more system calls");
        }
    }

    /**
     * The process exits: its address space is torn down ({@code exit_mmap()}).
     *
     * @throws IllegalStateException if it has exited already
     */
    public void exit() {
        enter();
        exited = true;
        mm.mmapLock().downWrite(vm.cpu());
        try {
            vm.mmap().exitMmap(mm);
        } finally {
            mm.mmapWriteUnlock(vm.cpu());
        }
    }

    @Override
    public String toString() {
        return "task " + pid + " (" + mm + ")";
    }
}
