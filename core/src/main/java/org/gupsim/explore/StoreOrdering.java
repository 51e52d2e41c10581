package org.gupsim.explore;

import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.memmodel.StoreLoad;
import org.gupsim.sched.Sched;

/**
 * What the explorer's store buffers need to know of a memory model, asked of the model once
 * ({@link StoreLoad}): which stores and read-modify-writes may sit in a store buffer while later
 * loads go ahead, which loads must wait for which buffered stores, and which barriers drain the
 * buffer. Everything else the buffers keep in program order.
 *
 * <p>A buffered entry's kind is its access and ordering: {@link #kind} numbers them
 * (store or read-modify-write, times the four {@link Order}s).
 */
final class StoreOrdering {

    private static final Order[] ORDERS = Order.values();
    static final int KINDS = 2 * ORDERS.length;

    final String model;
    /** Per kind: whether the write may be buffered (a later load may be satisfied before it is visible). */
    private final boolean[] buffered = new boolean[KINDS];
    /** Per load order: the kinds of buffered entries the load must wait for, as a bit mask. */
    private final int[] loadWaits = new int[ORDERS.length];
    /** Per barrier primitive (by ordinal): whether it waits for the whole buffer. */
    private final boolean[] drains = new boolean[Primitive.values().length];

    StoreOrdering(MemoryModel m) {
        this.model = m.name();
        for (Order o : ORDERS) {
            buffered[kind(false, o)] = !StoreLoad.ordered(m, Primitive.STORE, o, null, Primitive.LOAD, Order.RELAXED);
            buffered[kind(true, o)] = !StoreLoad.ordered(m, Primitive.RMW, o, null, Primitive.LOAD, Order.RELAXED);
        }
        for (Order lo : new Order[] {Order.RELAXED, Order.ACQUIRE}) {
            int mask = 0;
            for (int k = 0; k < KINDS; k++) {
                if (buffered[k] && StoreLoad.ordered(m, k >= ORDERS.length ? Primitive.RMW : Primitive.STORE,
                        ORDERS[k % ORDERS.length], null, Primitive.LOAD, lo)) {
                    mask |= 1 << k;
                }
            }
            loadWaits[lo.ordinal()] = mask;
        }
        // A fully ordered load does not exist in the kernel's API; treat it as an acquire.
        loadWaits[Order.FULL.ordinal()] = loadWaits[Order.ACQUIRE.ordinal()];
        loadWaits[Order.RELEASE.ordinal()] = loadWaits[Order.RELAXED.ordinal()];
        for (Primitive p : Primitive.values()) {
            if (Sched.isBarrier(p)) {
                drains[p.ordinal()] = StoreLoad.ordered(m, Primitive.STORE, Order.RELAXED, p, Primitive.LOAD,
                        Order.RELAXED);
            }
        }
    }

    /** The kind number of a buffered store ({@code rmw} false) or read-modify-write with {@code order}. */
    static int kind(boolean rmw, Order order) {
        return (rmw ? ORDERS.length : 0) + order.ordinal();
    }

    /** Whether no store or read-modify-write of any ordering may wait in a buffer (sequential consistency). */
    boolean buffersNothing() {
        for (boolean b : buffered) {
            if (b) {
                return false;
            }
        }
        return true;
    }

    /** Whether the write of an access of this kind may wait in the store buffer. */
    boolean buffered(int kind) {
        return buffered[kind];
    }

    /** The kinds of buffered entries a load with {@code order} must wait for, as a bit mask. */
    int loadWaits(Order order) {
        return loadWaits[order.ordinal()];
    }

    /** Whether the barrier orders every earlier store before every later load (drains the buffer). */
    boolean drains(Primitive barrier) {
        return drains[barrier.ordinal()];
    }
}
