package org.gupsim.memmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * Which store-then-load pairs a memory model keeps in order, asked of the model itself: the answer
 * is the model's verdict on one store-buffering (SB) execution, so an operational machine built
 * from these answers (the explorer's store buffers) follows the same definition the litmus runner
 * judges with, rather than a table of its own.
 *
 * <p>The question "does {@code A} then {@code B} stay in order?" is asked as the test
 * <pre>
 *   P0: A(x); [barrier;] B(y)      P1: A(y); [barrier;] B(x)      exists (P0's B read 0 /\ P1's B read 0)
 * </pre>
 * where {@code A} is a store or read-modify-write whose write each thread makes to its own location
 * and {@code B} a load: both loads missing both writes is possible exactly when the write can still
 * be invisible to the other thread after the load has been satisfied, i.e. when a store buffer may
 * hold it. The model forbids the execution exactly when each side's pair is ordered (by the
 * access's own ordering, a lock prefix, or the barrier between), which is what the answer says.
 */
public final class StoreLoad {

    private StoreLoad() {
    }

    /**
     * Whether {@code model} orders a write made by {@code first} (a {@link Primitive#STORE},
     * {@link Primitive#STORE_MB}, {@link Primitive#RMW} or {@link Primitive#RMW_NO_RETURN} with
     * {@code firstOrder}) before a later load {@code second} ({@link Primitive#LOAD} or
     * {@link Primitive#CMPXCHG_FAILED} with {@code secondOrder}) of another location, with
     * {@code barrier} (a barrier primitive, or null for none) between them.
     */
    public static boolean ordered(MemoryModel model, Primitive first, Order firstOrder, Primitive barrier,
            Primitive second, Order secondOrder) {
        if (model == null || first == null || firstOrder == null || second == null || secondOrder == null) {
            throw new IllegalArgumentException("model, first, firstOrder, second and secondOrder must not be null");
        }
        Lowering low = model.lowering();
        Execution.Builder b = new Execution.Builder();
        int[] init = {b.init(0), b.init(1)};
        List<List<Integer>> writes = List.of(new ArrayList<>(List.of(init[0])), new ArrayList<>(List.of(init[1])));
        for (int t = 0; t < 2; t++) {
            int mine = t;
            int other = 1 - t;
            List<Integer> branchedOn = new ArrayList<>();
            int firstWrite = add(b, t, low.lower(first, firstOrder), mine, init, writes, branchedOn);
            if (firstWrite < 0) {
                throw new IllegalArgumentException(model.name() + " compiles " + first + " without a write");
            }
            if (barrier != null) {
                add(b, t, low.lower(barrier, Order.RELAXED), -1, init, writes, branchedOn);
            }
            add(b, t, low.lower(second, secondOrder), other, init, writes, branchedOn);
        }
        b.co(writes.get(0));
        b.co(writes.get(1));
        return !model.consistent(b.build());
    }

    /**
     * Adds one primitive's instructions for thread {@code t} on location {@code loc}: its read reads
     * the location's initial value, its write is recorded for the coherence order (after the
     * initial write), a read and write of one primitive are its {@code rmw} pair, and everything
     * after a read the compiled code branches on depends on it by control.
     *
     * @return the write's event, or -1
     */
    private static int add(Execution.Builder b, int t, Lowered lowered, int loc, int[] init, List<List<Integer>> writes,
            List<Integer> branchedOn) {
        int read = -1;
        int write = -1;
        for (Instr in : lowered.instrs()) {
            int e = b.instr(t, in, Math.max(loc, 0));
            for (int r : branchedOn) {
                b.ctrl(r, e);
            }
            if (lowered.branchesOnRead() && read >= 0) {
                b.ctrl(read, e);
            }
            if (in.kind() == Execution.Kind.READ) {
                read = e;
                b.rf(init[loc], e);
            } else if (in.kind() == Execution.Kind.WRITE) {
                write = e;
                writes.get(loc).add(e);
            }
        }
        if (read >= 0 && write >= 0) {
            b.rmw(read, write);
        }
        if (lowered.branchesOnRead() && read >= 0) {
            branchedOn.add(read);
        }
        return write;
    }
}
