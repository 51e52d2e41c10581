package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.VariantUnavailableException;
import org.gupsim.callers.IoUringBuffers;
import org.gupsim.callers.VfioType1;
import org.gupsim.check.Invariants;
import org.gupsim.fs.Vfs;
import org.gupsim.gup.Gup;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.smp.Smp;
import org.gupsim.smp.SmpFeatures;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;
import org.gupsim.vm.Vm;

/**
 * One booted simulated machine: physical memory, CPUs, the VFS, the memory manager and GUP, for
 * one architecture variant and one kernel (a release label, or one with patches). Not thread-safe:
 * in direct mode one Java thread drives it, as CPU 0 — the thread that booted it, until
 * {@link #driveFromCurrentThread} hands it to another. A call from any other thread, and any call
 * after {@link #teardown}, throws {@link IllegalStateException} at once (checked once per call, at
 * the entry of each system call, GUP call and VFS operation).
 *
 * <pre>{@code
 * World w = World.boot("x86_64", "latest");
 * Task t = w.newTask();
 * long addr = t.mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
 * t.touch(addr, 1 << 20, true);
 * Page[] pages = new Page[256];
 * GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 256, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
 * }</pre>
 */
public final class World {
    /** Default NORMAL memory: 4 GiB, enough for 1G huge pages. */
    public static final long DEFAULT_MEMORY = 4L << 30;

    private final ArchVariant arch;
    private final Kernel kernel;
    private final Sched sched;
    private final Smp smp;
    private final PhysMem mem;
    private final Vfs vfs;
    private final Vm vm;
    private final Gup gup;
    private final List<Task> tasks = new ArrayList<>();
    private int nextPid = 1;
    /** What {@link #teardown} found, once it ran; null before. */
    private List<Violation> tornDown;

    private World(ArchVariant arch, Kernel kernel, MemConfig memConfig, int nrCpus, Sched sched) {
        this.arch = arch;
        this.kernel = kernel;
        this.sched = sched;
        this.smp = new Smp(nrCpus, sched, !kernel.get(SmpFeatures.RCU_CONSOLIDATED));
        this.mem = new PhysMem(memConfig, sched, arch.maxPageOrder());
        this.vfs = new Vfs(mem, smp.rcu());
        this.vm = new Vm(mem, smp, vfs, arch, kernel);
        this.gup = new Gup(vm, kernel, arch);
        sched.setDriver(Thread.currentThread());
    }

    /**
     * Boots a machine.
     *
     * @param arch      the architecture variant
     * @param kernel    the kernel: a release label ({@link KernelVersion}), or one with patches
     *                  ({@code KernelVersion.V6_5.with(patch)})
     * @param memConfig physical memory, or null for {@link #DEFAULT_MEMORY} of NORMAL memory
     * @param nrCpus    number of CPUs (1..64)
     * @throws IllegalArgumentException naming a null, out-of-range or mismatched argument
     */
    public static World boot(ArchVariant arch, Kernel kernel, MemConfig memConfig, int nrCpus) {
        return boot(arch, kernel, memConfig, nrCpus, new Sched());
    }

    /**
     * Boots a machine whose scheduling points go to {@code sched} (an explorer's, or a fresh one
     * for direct mode).
     *
     * @param nrCpus number of CPUs (1..64; an explorer runs at most 64 threads, the RCU thread among them)
     * @throws VariantUnavailableException if {@code arch} does not exist on {@code kernel}
     * @throws IllegalArgumentException    naming a null, out-of-range or mismatched argument
     */
    public static World boot(ArchVariant arch, Kernel kernel, MemConfig memConfig, int nrCpus, Sched sched) {
        Validate.isTrue(arch != null, "arch must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(nrCpus >= 1 && nrCpus <= Smp.MAX_CPUS, "nrCpus must be between 1 and %d, was %d",
                Smp.MAX_CPUS, nrCpus);
        Validate.isTrue(sched != null, "sched must not be null");
        VariantUnavailableException.check(arch, kernel);
        MemConfig m = memConfig != null ? memConfig : MemConfig.ofBytes(arch.pageShift(), DEFAULT_MEMORY);
        Validate.isTrue(m.pageShift() == arch.pageShift(), "memConfig page size must match the architecture's");
        return new World(arch, kernel, m, nrCpus, sched);
    }

    /**
     * Boots a machine from names: {@code arch[:variant]} and a kernel label, with default memory
     * and two CPUs.
     *
     * @throws IllegalArgumentException naming what is unknown and what is allowed
     */
    public static World boot(String archSpec, String kernelLabel) {
        KernelVersion k = KernelVersion.parse(kernelLabel);
        return boot(ArchRegistry.load().parse(archSpec, k), k, null, 2);
    }

    public ArchVariant arch() {
        return arch;
    }

    /** The kernel this machine runs, patches included. */
    public Kernel kernel() {
        return kernel;
    }

    public Sched sched() {
        return sched;
    }

    public Smp smp() {
        return smp;
    }

    public PhysMem mem() {
        return mem;
    }

    public Vfs vfs() {
        return vfs;
    }

    public Vm vm() {
        return vm;
    }

    public Gup gup() {
        return gup;
    }

    /**
     * Hands the machine to the calling Java thread: from now on it, and no longer the thread that
     * drove it so far, may call into it. For a machine built on one thread and used on another
     * (a test fixture, a benchmark's setup); the two must not use it at the same time.
     */
    public void driveFromCurrentThread() {
        sched.setDriver(Thread.currentThread());
    }

    /** Starts a process with an empty address space. */
    public Task newTask() {
        sched.checkCaller();
        Task t = Task.create(vm, nextPid++);
        tasks.add(t);
        return t;
    }

    /**
     * {@code parent} forks ({@link Task#fork}): the child gets the next pid and is torn down with
     * the others.
     *
     * @return the child, or null where the kernel's fork would fail with -ENOMEM
     */
    public Task fork(Task parent) {
        Validate.isTrue(parent != null && tasks.contains(parent), "parent must be a task of this world");
        Task child = parent.fork(nextPid);
        if (child != null) {
            nextPid++;
            tasks.add(child);
        }
        return child;
    }

    /** Processes started, in pid order. */
    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** An io_uring instance owned by {@code task}. */
    public IoUringBuffers ioUring(Task task) {
        sched.checkCaller();
        return new IoUringBuffers(gup, task);
    }

    /** A VFIO type1 container used by {@code task}. */
    public VfioType1 vfio(Task task) {
        sched.checkCaller();
        return new VfioType1(gup, task);
    }

    /** The accounting invariants over every live address space (see {@link Invariants#checkAccounting}). */
    public List<Violation> checkAccounting() {
        sched.checkCaller();
        List<Mm> mms = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            mms.add(t.mm());
        }
        return Invariants.checkAccounting(mem, mms);
    }

    /**
     * Exits every process, lets RCU callbacks run, and checks that nothing is left allocated or
     * pinned. Files must have been closed and unlinked by the caller. The machine is gone
     * afterwards: any further call into it throws {@link IllegalStateException}, except
     * {@code teardown()} itself, which (like {@code close()}) does nothing again and returns what
     * the first call found.
     */
    public List<Violation> teardown() {
        if (tornDown != null) {
            return tornDown;
        }
        sched.checkCaller();
        for (Task t : tasks) {
            if (!t.exited()) {
                t.exit();
            }
        }
        smp.rcu().quiescent();
        vm.reclaimUnusedSwapCache();
        List<Violation> found = Invariants.checkTeardown(mem, gup.pinsAcquired(), gup.pinsReleased(),
                smp.rcu().pendingCallbacks());
        sched.close("this machine (" + arch.fullName() + ", kernel " + kernel.label() + ") was torn down");
        tornDown = List.copyOf(found);
        return tornDown;
    }
}
