package org.gupsim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.function.BooleanSupplier;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.memmodel.Order;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedHook;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.Violation;
import org.gupsim.sched.WeakCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A wait's condition reads memory as the waiting CPU would load it, not the newest value some CPU
 * stored: the store buffers evaluate every condition so, and kernel code writes its conditions as
 * plain reads of fields.
 */
class WaitSeesMemoryTest {

    /** One word of memory a weak model can delay. */
    static final class Word implements WeakCell, SchedKeyed {
        long value;

        @Override
        public long weakValue(int index) {
            return value;
        }

        @Override
        public void setWeakValue(int index, long v) {
            value = v;
        }

        @Override
        public Merge weakMerge(int index) {
            return Merge.REPLACE;
        }

        @Override
        public String schedKey() {
            return "x";
        }
    }

    /**
     * CPU0 stores x = 1; CPU1 waits until x is set, then loads it. A waiter that woke on the newest
     * value (CPU0's store still in its buffer) would load 0 from memory right after waking.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm64", "power"})
    void aWaiterWakesOnlyWhenItsLoadsSeeTheStore(String model) {
        Toys.Toy toy = new Toys.Toy(2) {
            Word x;
            long r;

            @Override
            void reset() {
                x = new Word();
                r = -1;
            }

            @Override
            public void run(int thread) {
                if (thread == 0) {
                    sched.point(x, 0, Access.WRITE, Order.RELAXED, "WRITE_ONCE");
                    x.value = 1;
                } else {
                    sched.waitUntil(x, 0, Access.READ, "wait", () -> x.value != 0, "x to be set");
                    sched.point(x, 0, Access.READ, Order.RELAXED, "READ_ONCE");
                    r = sched.load(x, 0, x.value);
                }
            }

            @Override
            public String outcome() {
                return "r=" + r;
            }
        };
        ExplorationResult res = Explorer.explore(StoreBufferTarget.of(toy, MemoryModels.get(model)), Strategy.dpor(),
                ExploreOptions.DEFAULTS);
        assertTrue(res.exhausted(), res.render());
        assertEquals(Set.of("r=1"), res.outcomes().keySet(), res.render());
    }

    /** Thrown by {@link Recorder} where the explorer would block the waiting CPU. */
    static final class Blocked extends RuntimeException {
        Blocked() {
            super(null, null, false, false);
        }
    }

    /** An explorer's hook reduced to what this test needs: a false wait condition is kept, not waited on. */
    static final class Recorder implements SchedHook {
        BooleanSupplier blocked;

        @Override
        public void point(Object object, int index, Access access, String function) {
        }

        @Override
        public void violation(Violation violation) {
            throw new AssertionError(violation.toString());
        }

        @Override
        public void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
                String waitingFor) {
            if (!condition.getAsBoolean()) {
                blocked = condition;
                throw new Blocked();
            }
        }
    }

    /**
     * The swap cache's wait for a frozen folio ({@code filemap_get_entry()}'s retry): CPU1 finds
     * the folio frozen and waits; CPU0 then stores a new count, which waits in its buffer. The wait
     * must not end until that store is visible. (A relaxed {@code folio_ref_add()} is how this test
     * puts a count store in the buffer; {@code folio_ref_unfreeze()}, a release store, would too.)
     */
    @Test
    void theSwapCacheWaitForAFrozenFolioReadsMemory() {
        Sched sched = new Sched();
        PhysMem mem = new PhysMem(MemConfig.ofBytes(12, 64L << 20), sched, 10);
        Folio f = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
        assertTrue(MmInternals.addToSwap(mem.swap(), f));
        long offset = f.swap();
        assertTrue(mem.folioRefFreeze(f, f.refcount()));

        StoreBuffers[] buffers = new StoreBuffers[1];
        sched.interpose(h -> buffers[0] = new StoreBuffers(h, sched, new StoreOrdering(MemoryModels.get("arm64")),
                new String[] {"CPU0", "CPU1"}, 1));
        Recorder explorer = new Recorder();
        sched.attach(explorer);

        sched.switched(1);
        assertThrows(Blocked.class, () -> mem.swap().swapCacheGetFolio(offset));
        BooleanSupplier frozenWait = explorer.blocked;
        assertNotNull(frozenWait);

        sched.switched(0);
        mem.folioRefAdd(f, 2);
        buffers[0].finished(0);
        assertEquals(2, f.refcount(), "the folio holds the newest value, CPU0's");
        assertFalse(frozenWait.getAsBoolean(), "CPU0's count store is still in its buffer: memory says frozen");
        assertEquals(2, f.refcount(), "the condition's view is undone after it");

        buffers[0].flush(0, 0);
        assertTrue(frozenWait.getAsBoolean(), "the store is visible: the wait ends");
        assertEquals(f, mem.swap().peek(offset));
    }
}
