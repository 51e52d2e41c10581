package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.ExploreTarget;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.MemConfig;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.KvmHost;
import org.gupsim.vm.Task;

/**
 * A scenario on one architecture variant and kernel (patches included), as the explorer runs
 * it. Threads: one per CPU running its program (a CPU whose program is over still answers IPIs:
 * its IRQs are on, so senders run the handler at once), the RCU callback thread, and on paravirt
 * variants a hypervisor thread that preempts and resumes the GUP-fast vCPU once, so that the
 * explorer decides whether it is preempted when a flush happens.
 */
final class ScenarioTarget implements ExploreTarget {
    /** Scenario worlds are small: every execution boots a fresh one. */
    static final long MEMORY = 16L << 20;

    private final Scenario scenario;
    private final Map<String, String> params;
    private final ArchVariant arch;
    private final Kernel kernel;
    private final int cpus;
    private final boolean hypervisor;
    /** The machine's memory, the same for every execution (worked out once, not per boot). */
    private final MemConfig memConfig;
    private World world;
    private Scenario.Programs programs;
    private int done;

    ScenarioTarget(Scenario scenario, Map<String, String> params, ArchVariant arch, Kernel kernel) {
        this.scenario = scenario;
        this.params = params;
        this.arch = arch;
        this.kernel = kernel;
        this.cpus = scenario.cpus();
        // A backend that leaves preempted vCPUs to the hypervisor needs the hypervisor as an actor
        // that preempts and resumes them, whoever wrote the backend.
        this.hypervisor = arch.shootdown().defersPreempted();
        this.memConfig = MemConfig.ofBytes(arch.pageShift(), memory(arch));
    }

    @Override
    public int threads() {
        return cpus + 1 + (hypervisor ? 1 : 0);
    }

    @Override
    public String threadName(int thread) {
        if (thread < cpus) {
            return "CPU" + thread;
        }
        return thread == cpus ? "RCU" : "HV";
    }

    /**
     * {@link #MEMORY}, or room for four of the architecture's default huge pages (the first it
     * lists, which scenarios' hugetlb backings use) where that is more (powerpc hash: 16M, arm64
     * with 64K granules: 512M), so that an aligned hugetlb folio can always be found.
     */
    static long memory(ArchVariant arch) {
        long[] sizes = arch.hugePageSizes();
        return sizes.length == 0 ? MEMORY : Math.max(MEMORY, 4 * sizes[0]);
    }

    @Override
    public void setUp(Sched sched) {
        world = World.boot(arch, kernel, memConfig, cpus, sched);
        done = 0;
        programs = scenario.setUp(world, params);
        // Every CPU runs threads of the scenario's processes: all are in mm_cpumask.
        for (Task t : world.tasks()) {
            for (Cpu c : world.smp().cpus()) {
                world.smp().setCurrent(c);
                t.enter();
            }
        }
        world.smp().setCurrent(world.smp().cpu(0));
    }

    @Override
    public void run(int thread) {
        if (thread < cpus) {
            programs.run(thread);
            done++;
        } else if (thread == cpus) {
            // `done` is read by the RCU thread's wait and written by no announced step. That is
            // sound for the reduction: it only decides whether the wait may end with nothing
            // pending, and that ending is the RCU thread's last step, which changes nothing; once
            // every CPU is done and nothing is pending, nothing can queue a callback again, so the
            // step stays enabled and is independent of every other. The explorer may still try it
            // where it is not yet enabled, which costs a pruned execution, never a missed one.
            // (Announcing it would add a step to every CPU's program on every architecture.)
            world.smp().rcu().runRcuThread(() -> done == cpus);
        } else {
            // The hypervisor preempts the GUP-fast vCPU once and resumes it (flushing its TLB first
            // if a guest's paravirt flush asked it to in the steal-time word); where it does so is
            // the explorer's choice.
            Cpu c = world.smp().cpu(0);
            KvmHost.vcpuPut(c);
            KvmHost.vcpuEnter(c, world.vm().tlbs().of(c.id()));
        }
    }

    @Override
    public String outcome() {
        return programs.outcome();
    }

    @Override
    public List<Violation> finalChecks() {
        List<Violation> out = new ArrayList<>();
        // Direct mode from here on; the last thread to run may have been the RCU thread.
        world.smp().setCurrent(world.smp().cpu(0));
        try {
            out.addAll(programs.release());
            out.addAll(world.checkAccounting());
            out.addAll(world.teardown());
        } catch (KernelBugException e) {
            out.add(e.violation());
        }
        return out;
    }
}
