package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gupsim.arch.toy.Toy;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreTarget;
import org.gupsim.explore.Explorer;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.sched.Sched;
import org.gupsim.smp.Cpu;
import org.gupsim.smp.SpinLock;
import org.junit.jupiter.api.Test;

/**
 * The classic shootdown deadlock, built on purpose: CPU1 holds a spinlock and sends an IPI that
 * it waits for; CPU0 spins on that lock with IRQs off, so it can never take the IPI. The
 * explorer must find the interleaving and say who waits for what.
 */
class KernelDeadlockTest {

    static final class IpiUnderLock implements ExploreTarget {
        private World world;
        private SpinLock lock;

        @Override
        public int threads() {
            return 2;
        }

        @Override
        public String threadName(int thread) {
            return "CPU" + thread;
        }

        @Override
        public void setUp(Sched sched) {
            KernelVersion k = KernelVersion.LATEST;
            world = World.boot(Toy.variant(), k, MemConfig.ofBytes(12, 8L << 20), 2,
                    sched);
            lock = new SpinLock("demo_lock", sched);
        }

        @Override
        public void run(int thread) {
            Cpu cpu = world.smp().cpu(thread);
            if (thread == 0) {
                boolean flags = cpu.localIrqSave();
                lock.lock(cpu);
                lock.unlock(cpu);
                cpu.localIrqRestore(flags);
            } else {
                lock.lock(cpu);
                world.smp().smpCallFunctionMany(1L, c -> { }, true, "smp_call_function_many");
                lock.unlock(cpu);
            }
        }

        @Override
        public String outcome() {
            return "done";
        }
    }

    @Test
    void ipiToACpuSpinningWithIrqsOffDeadlocks() {
        ExplorationResult r = Explorer.explore(new IpiUnderLock(), Strategy.dpor());
        assertEquals(Verdict.DEADLOCK, r.verdict(), r.render());
        String text = r.render();
        assertTrue(text.contains("demo_lock"), text);
        assertTrue(text.contains("IPI acknowledgement from CPU0"), text);
    }
}
