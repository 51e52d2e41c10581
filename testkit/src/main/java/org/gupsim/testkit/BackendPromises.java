package org.gupsim.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Sched;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.Smp;
import org.gupsim.tlb.CpuTlbs;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.KvmHost;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TableFreePromise;
import org.gupsim.tlb.TlbMm;
import org.gupsim.vm.Task;
import org.gupsim.vm.VmFlags;

/**
 * Runs a variant's backends and compares what they do with what they promise
 * ({@link ShootdownPromise}, {@link TableFreePromise}), the facts the comparison explains
 * disagreements from. A backend that declares "waits for IRQ-off CPUs" but does not, or frees tables
 * at once while declaring a grace period, is caught here, whoever wrote it.
 *
 * <pre>{@code
 * assertEquals(List.of(), BackendPromises.contradictions(Worlds.variant("x86_64:my-flush", KernelVersion.LATEST)));
 * }</pre>
 *
 * <p>Each probe is a small machine in direct mode, where an IPI to a CPU with IRQs off can never be
 * answered and is reported at once as a deadlock: that is how waiting is observed.
 * <ul>
 *   <li>Reach: CPU0 flushes; CPUs 1 and 3 run the mm, CPU2 is in lazy-TLB mode, CPU4 is not in
 *       {@code mm_cpumask}; each holds a translation of the mm. Which ones are gone after a flush
 *       without and with freed tables must be what {@link ShootdownPromise#reach()} says.</li>
 *   <li>Waiting: CPU1 runs the mm with IRQs off; the flush must deadlock exactly when it promises
 *       to wait for IRQ-off CPUs, and otherwise must still have flushed CPU1.</li>
 *   <li>Deferral: CPU1 is a preempted vCPU; its translation must survive the flush and be gone when
 *       the hypervisor resumes it exactly when the backend promises to defer.</li>
 *   <li>Table freeing: a task unmaps a range on CPU0 while CPU1 has IRQs off (an RCU read-side
 *       section, and no answer to IPIs); the page table must be freed at once, after CPU1's section,
 *       or deadlock (an IPI round), as {@link TableFreePromise#waitsFor()} says, and likewise
 *       {@link TableFreePromise#fallback()} when the batch page cannot be allocated.</li>
 * </ul>
 */
public final class BackendPromises {
    private static final int MM = 1;
    private static final long VPAGE = 0x42;

    private BackendPromises() {
    }

    /**
     * What {@code variant}'s backends do that their promises deny, one sentence each; empty if
     * they keep their promises.
     */
    public static List<String> contradictions(ArchVariant variant) {
        Validate.isTrue(variant != null, "variant must not be null");
        List<String> out = new ArrayList<>();
        checkReach(variant, false, out);
        checkReach(variant, true, out);
        checkIrqsOff(variant, out);
        checkPreempted(variant, out);
        checkTables(variant, false, out);
        checkTables(variant, true, out);
        return out;
    }

    /** A machine of six CPUs in direct mode and an mm whose translation every CPU's TLB holds. */
    private record Probe(Smp smp, CpuTlbs tlbs, TlbMm mm) {
        static Probe of(long cpumask) {
            Smp smp = new Smp(6, new Sched());
            CpuTlbs tlbs = new CpuTlbs(smp);
            TlbMm mm = new TlbMm(smp, tlbs, MM, "probe-mm");
            for (int c = 0; c < 6; c++) {
                if ((cpumask & (1L << c)) != 0) {
                    mm.addCpu(c);
                }
                tlbs.of(c).fill(MM, VPAGE, 7, true);
            }
            return new Probe(smp, tlbs, mm);
        }

        boolean flushed(int cpu) {
            return tlbs.of(cpu).lookup(MM, VPAGE, false) < 0;
        }

        /** Flushes from CPU0; true if it waited for a CPU that could not answer (a deadlock). */
        boolean flush(FlushBackend f, boolean freedTables) {
            try {
                f.flushTlbMmRange(mm, VPAGE << 12, (VPAGE + 1) << 12, freedTables);
                return false;
            } catch (KernelBugException e) {
                if (e.violation().kind() != ViolationKind.DEADLOCK) {
                    throw e;
                }
                return true;
            }
        }
    }

    private static void checkReach(ArchVariant v, boolean freedTables, List<String> out) {
        FlushBackend f = v.flushBackend();
        ShootdownPromise p = f.promise();
        Probe probe = Probe.of(0b1111);
        f.initMm(probe.mm());
        probe.mm().enterLazyTlb(2);
        String when = freedTables ? " when tables are freed" : "";
        if (probe.flush(f, freedTables)) {
            out.add(p.name() + " deadlocked with every CPU's IRQs on" + when);
            return;
        }
        for (int c : new int[] {1, 3}) {
            if (!probe.flushed(c)) {
                out.add(p.name() + " left CPU" + c + " (in mm_cpumask, not lazy) unflushed" + when);
            }
        }
        boolean lazyExpected = p.reach() != ShootdownPromise.Reach.MM_CPUMASK_NOT_LAZY || freedTables;
        if (probe.flushed(2) != lazyExpected) {
            out.add(p.name() + (lazyExpected ? " did not reach" : " reached") + " a lazy-TLB CPU" + when
                    + ", but promises " + p.reach().text());
        }
        boolean outsideExpected = p.reach() == ShootdownPromise.Reach.ALL_CPUS;
        if (probe.flushed(4) != outsideExpected) {
            out.add(p.name() + (outsideExpected ? " did not reach" : " reached") + " a CPU outside mm_cpumask" + when
                    + ", but promises " + p.reach().text());
        }
    }

    private static void checkIrqsOff(ArchVariant v, List<String> out) {
        FlushBackend f = v.flushBackend();
        ShootdownPromise p = f.promise();
        Probe probe = Probe.of(0b11);
        f.initMm(probe.mm());
        probe.smp().cpu(1).localIrqDisable();
        boolean waited = probe.flush(f, false);
        if (waited != p.waitsForIrqsOff()) {
            out.add(p.name() + (waited ? " waited" : " did not wait") + " for a CPU with IRQs off, but promises"
                    + (p.waitsForIrqsOff() ? "" : " not") + " to wait");
        } else if (!waited && !probe.flushed(1)) {
            out.add(p.name() + " neither waited for nor flushed a CPU with IRQs off");
        }
    }

    private static void checkPreempted(ArchVariant v, List<String> out) {
        FlushBackend f = v.flushBackend();
        ShootdownPromise p = f.promise();
        Probe probe = Probe.of(0b11);
        f.initMm(probe.mm());
        KvmHost.vcpuPut(probe.smp().cpu(1));
        if (probe.flush(f, false)) {
            out.add(p.name() + " deadlocked on a preempted vCPU with IRQs on");
            return;
        }
        boolean deferred = !probe.flushed(1);
        KvmHost.vcpuEnter(probe.smp().cpu(1), probe.tlbs().of(1));
        if (deferred != p.defersPreempted()) {
            out.add(p.name() + (deferred ? " deferred" : " did not defer") + " a preempted vCPU's flush, but promises"
                    + (p.defersPreempted() ? "" : " not") + " to");
        } else if (!probe.flushed(1)) {
            out.add(p.name() + " never flushed a preempted vCPU, not even when it was resumed");
        }
    }

    /** What freeing a table was seen to wait for. */
    private static TableFreePromise.Wait observeTableFree(ArchVariant v, boolean batchFails) {
        Kernel kernel = Worlds.latestKernelOf(v);
        World w = World.boot(v, kernel, MemConfig.ofBytes(v.pageShift(), 64L << 20), 2);
        Task t = w.newTask();
        long len = 4L << v.pageShift();
        long addr = t.mmap(0, len, VmFlags.PROT_READ | VmFlags.PROT_WRITE, VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS,
                null, 0);
        t.touch(addr, len, true);
        int before = t.mm().pageTables().tablesLive();
        w.mem().setFailNowait(batchFails);
        w.smp().cpu(1).localIrqDisable();
        try {
            t.munmap(addr, len);
        } catch (KernelBugException e) {
            if (e.violation().kind() != ViolationKind.DEADLOCK) {
                throw e;
            }
            return TableFreePromise.Wait.IPI_ROUND;
        }
        if (t.mm().pageTables().tablesLive() < before) {
            return TableFreePromise.Wait.NOTHING;
        }
        w.smp().cpu(1).localIrqEnable();
        Validate.validState(t.mm().pageTables().tablesLive() < before,
                "%s: munmap of a whole range freed no page table, even after a grace period", v);
        return TableFreePromise.Wait.RCU_GRACE_PERIOD;
    }

    private static void checkTables(ArchVariant v, boolean batchFails, List<String> out) {
        TableFreePromise p = v.tableFreePolicy().promise();
        TableFreePromise.Wait expected = batchFails ? p.fallback() : p.waitsFor();
        TableFreePromise.Wait seen = observeTableFree(v, batchFails);
        if (seen != expected) {
            out.add(p.name() + " table freeing waited for " + seen.text()
                    + (batchFails ? " without a batch page" : "") + ", but promises " + expected.text());
        }
    }
}
