package org.gupsim.memmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * Which pairs of writes a memory model keeps in order, asked of the model itself: the answer is
 * the model's verdict on one 2+2W execution, so the explorer's per-location store buffers follow
 * the definition the litmus runner judges with, as {@link StoreLoad} does for store buffering.
 *
 * <p>The question "does the write of {@code A} stay before the write of {@code B}?" is asked as
 * <pre>
 *   P0: A(x); [barrier;] B(y)      P1: A(y); [barrier;] B(x)      exists (x = P0's A /\ y = P1's A)
 * </pre>
 * i.e. each location's coherence order ends with the {@code A} write: each thread's {@code B}
 * write reached memory before the other thread's {@code A}. That is possible exactly when a
 * thread's {@code B} may become visible before its {@code A}. A read-modify-write reads the write
 * just before its own in coherence order (so its read-modify-write stays atomic). The model
 * forbids the execution exactly when each side's pair is ordered.
 */
public final class StoreStore {

    private StoreStore() {
    }

    /**
     * Whether {@code model} orders the write of {@code first} (a {@link Primitive#STORE},
     * {@link Primitive#STORE_MB}, {@link Primitive#RMW} or {@link Primitive#RMW_NO_RETURN} with
     * {@code firstOrder}) before the write of {@code second} (the same kinds, with
     * {@code secondOrder}) to another location, with {@code barrier} (a barrier primitive, or null
     * for none) between them.
     */
    public static boolean ordered(MemoryModel model, Primitive first, Order firstOrder, Primitive barrier,
            Primitive second, Order secondOrder) {
        if (model == null || first == null || firstOrder == null || second == null || secondOrder == null) {
            throw new IllegalArgumentException("model, first, firstOrder, second and secondOrder must not be null");
        }
        Lowering low = model.lowering();
        Execution.Builder b = new Execution.Builder();
        int[] init = {b.init(0), b.init(1)};
        // [thread][0 = A, 1 = B]: the write and (for a read-modify-write) the read of each access
        int[][] write = new int[2][2];
        int[][] read = new int[2][2];
        for (int t = 0; t < 2; t++) {
            List<Integer> branchedOn = new ArrayList<>();
            int[] a = add(b, t, low.lower(first, firstOrder), t, branchedOn);
            if (barrier != null) {
                add(b, t, low.lower(barrier, Order.RELAXED), -1, branchedOn);
            }
            int[] s = add(b, t, low.lower(second, secondOrder), 1 - t, branchedOn);
            if (a[1] < 0 || s[1] < 0) {
                throw new IllegalArgumentException(model.name() + " compiles " + first + " or " + second
                        + " without a write");
            }
            read[t][0] = a[0];
            write[t][0] = a[1];
            read[t][1] = s[0];
            write[t][1] = s[1];
        }
        for (int loc = 0; loc < 2; loc++) {
            // location loc: the initial write, the other thread's B, then this thread's A
            int other = 1 - loc;
            b.co(List.of(init[loc], write[other][1], write[loc][0]));
            if (read[other][1] >= 0) {
                b.rf(init[loc], read[other][1]);
            }
            if (read[loc][0] >= 0) {
                b.rf(write[other][1], read[loc][0]);
            }
        }
        return !model.consistent(b.build());
    }

    /**
     * Adds one primitive's instructions for thread {@code t} on location {@code loc}, with the
     * control dependencies its compiled code has (as {@link StoreLoad} does).
     *
     * @return its read and its write event, each -1 if it has none
     */
    private static int[] add(Execution.Builder b, int t, Lowered lowered, int loc, List<Integer> branchedOn) {
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
            } else if (in.kind() == Execution.Kind.WRITE) {
                write = e;
            }
        }
        if (read >= 0 && write >= 0) {
            b.rmw(read, write);
        }
        if (lowered.branchesOnRead() && read >= 0) {
            branchedOn.add(read);
        }
        return new int[] {read, write};
    }
}
