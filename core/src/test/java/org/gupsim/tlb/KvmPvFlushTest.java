package org.gupsim.tlb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreTarget;
import org.gupsim.explore.Explorer;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.sched.Sched;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.Smp;
import org.gupsim.smp.StealTime;
import org.junit.jupiter.api.Test;

/**
 * KVM's paravirtual flush against the host, explored: CPU1 flushes an mm whose translation CPU0's
 * TLB caches, while the host stops CPU0 and runs it again. In every order the translation must be
 * gone once all three are done, flushed either by an IPI or by the host before entry; and a guest
 * that sets {@code KVM_VCPU_FLUSH_TLB} blindly after reading the byte (no compare-and-exchange on
 * the value it read) loses the flush in the order "guest reads PREEMPTED, host exchanges the byte
 * for 0 and resumes, guest sets the flag", which the explorer must find.
 */
class KvmPvFlushTest {

    private static final int MM = 1;
    private static final long VPAGE = 5;

    /** Sets the flag without checking that the byte still holds what was read. */
    static final class BlindFlagFlush extends IpiFlush {
        @Override
        protected int flushTlbMulti(TlbMm mm, long cpumask, boolean freedTables) {
            long flushmask = cpumask;
            Cpu self = mm.smp().current();
            for (Cpu c : mm.smp().cpus()) {
                if (c == self || (flushmask & (1L << c.id())) == 0) {
                    continue;
                }
                StealTime st = c.stealTime();
                if ((st.readOnce("broken(read)") & StealTime.KVM_VCPU_PREEMPTED) != 0) {
                    // the bug: whatever the byte holds now, set the flag
                    st.tryCmpxchg(st.value(), st.value() | StealTime.KVM_VCPU_FLUSH_TLB, "broken(set flag)");
                    flushmask &= ~(1L << c.id());
                }
            }
            return nativeFlushTlbMulti(mm, flushmask, freedTables, "broken");
        }
    }

    static final class FlushWhileHostPreempts implements ExploreTarget {
        private final Supplier<FlushBackend> backend;
        private Smp smp;
        private CpuTlbs tlbs;
        private TlbMm mm;
        private boolean hostFlushed;

        FlushWhileHostPreempts(Supplier<FlushBackend> backend) {
            this.backend = backend;
        }

        @Override
        public int threads() {
            return 3;
        }

        @Override
        public String threadName(int thread) {
            return thread < 2 ? "CPU" + thread : "HV";
        }

        @Override
        public void setUp(Sched sched) {
            smp = new Smp(2, sched, false);
            tlbs = new CpuTlbs(smp);
            mm = new TlbMm(smp, tlbs, MM, "mm1");
            mm.addCpu(0);
            mm.addCpu(1);
            tlbs.of(0).fill(MM, VPAGE, 42, true);
            hostFlushed = false;
        }

        @Override
        public void run(int thread) {
            if (thread == 0) {
                // IRQs off for a while: an IPI may have to wait for them, or for the host
                Cpu c = smp.cpu(0);
                c.localIrqDisable();
                c.localIrqEnable();
            } else if (thread == 1) {
                backend.get().flushTlbMmRange(mm, 0, 1L << 20, false);
            } else {
                KvmHost.vcpuPut(smp.cpu(0));
                hostFlushed = KvmHost.vcpuEnter(smp.cpu(0), tlbs.of(0));
            }
        }

        @Override
        public String outcome() {
            // the hook is detached here: the lookup is direct
            if (tlbs.of(0).lookup(MM, VPAGE, false) >= 0) {
                return "stale translation on CPU0";
            }
            return hostFlushed ? "flushed by the host before entry" : "flushed by an IPI";
        }
    }

    @Test
    void noOrderOfGuestAndHostLosesTheFlush() {
        ExplorationResult r = Explorer.explore(new FlushWhileHostPreempts(ParavirtFlush::new), Strategy.dpor());
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertTrue(r.exhausted(), r.render());
        assertFalse(r.outcomes().containsKey("stale translation on CPU0"), r.render());
        assertTrue(r.outcomes().containsKey("flushed by the host before entry"), r.render());
        assertTrue(r.outcomes().containsKey("flushed by an IPI"), r.render());
    }

    @Test
    void aGuestThatSetsTheFlagBlindlyLosesTheFlushAndTheExplorerFindsIt() {
        ExplorationResult r = Explorer.explore(new FlushWhileHostPreempts(BlindFlagFlush::new), Strategy.dpor());
        assertTrue(r.outcomes().containsKey("stale translation on CPU0"), r.render());
    }

    @Test
    void directModeDefersThePreemptedVcpusFlushToTheHost() {
        Sched sched = new Sched();
        Smp smp = new Smp(2, sched, false);
        CpuTlbs tlbs = new CpuTlbs(smp);
        TlbMm mm = new TlbMm(smp, tlbs, MM, "mm1");
        mm.addCpu(0);
        mm.addCpu(1);
        tlbs.of(0).fill(MM, VPAGE, 42, true);
        smp.setCurrent(smp.cpu(1));
        KvmHost.vcpuPut(smp.cpu(0));
        assertEquals(StealTime.KVM_VCPU_PREEMPTED, smp.cpu(0).stealTime().value());
        new ParavirtFlush().flushTlbMmRange(mm, 0, 1L << 20, false);
        assertEquals(StealTime.KVM_VCPU_PREEMPTED | StealTime.KVM_VCPU_FLUSH_TLB, smp.cpu(0).stealTime().value());
        assertTrue(tlbs.of(0).lookup(MM, VPAGE, false) >= 0, "no IPI: the translation is still there");
        assertTrue(KvmHost.vcpuEnter(smp.cpu(0), tlbs.of(0)));
        assertEquals(0, smp.cpu(0).stealTime().value());
        assertEquals(-1, tlbs.of(0).lookup(MM, VPAGE, false));
    }
}
