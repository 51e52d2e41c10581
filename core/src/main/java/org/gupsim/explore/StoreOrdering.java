package org.gupsim.explore;

import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.memmodel.StoreLoad;
import org.gupsim.memmodel.StoreStore;
import org.gupsim.sched.Sched;

/**
 * What the explorer's store buffers need to know of a memory model, asked of the model once
 * ({@link StoreLoad}): which stores and read-modify-writes may sit in a store buffer while later
 * loads go ahead, which loads must wait for which buffered stores, and which barriers drain the
 * buffer; and, asked of the model too ({@link StoreStore}), whether buffered writes to different
 * locations may become visible out of order (then each CPU has a buffer per location, see
 * {@link StoreBuffers}), which earlier buffered writes each write must not pass, and which
 * barriers order earlier writes before later ones without draining. Everything else the buffers
 * keep in program order.
 *
 * <p>A buffered entry's kind is its access and ordering: {@link #kind} numbers them (a store, a
 * value-returning read-modify-write, or one that returns nothing, times the four {@link Order}s).
 */
final class StoreOrdering {

    private static final Order[] ORDERS = Order.values();
    /** The accesses whose write may be buffered, in kind order. */
    private static final Primitive[] WRITES = {Primitive.STORE, Primitive.RMW, Primitive.RMW_NO_RETURN};
    static final int KINDS = WRITES.length * ORDERS.length;

    final String model;
    /** Per kind: whether the write may be buffered (a later load may be satisfied before it is visible). */
    private final boolean[] buffered = new boolean[KINDS];
    /** Per load order: the kinds of buffered entries the load must wait for, as a bit mask. */
    private final int[] loadWaits = new int[ORDERS.length];
    /** Per barrier primitive (by ordinal): whether it waits for the whole buffer. */
    private final boolean[] drains = new boolean[Primitive.values().length];
    /** Whether buffered writes to different locations may become visible out of order. */
    private final boolean outOfOrder;
    /** Per kind: the kinds of earlier buffered writes the model orders before its write, as a bit mask. */
    private final int[] writeWaits = new int[KINDS];
    /** Per barrier primitive (by ordinal): whether it orders earlier writes before later writes. */
    private final boolean[] ordersWrites = new boolean[Primitive.values().length];

    StoreOrdering(MemoryModel m) {
        this.model = m.name();
        for (int k = 0; k < KINDS; k++) {
            buffered[k] = !StoreLoad.ordered(m, primitive(k), order(k), null, Primitive.LOAD, Order.RELAXED);
        }
        for (Order lo : new Order[] {Order.RELAXED, Order.ACQUIRE}) {
            int mask = 0;
            for (int k = 0; k < KINDS; k++) {
                if (buffered[k] && StoreLoad.ordered(m, primitive(k), order(k), null, Primitive.LOAD, lo)) {
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
        // Write-to-write order, pair by pair, for the kinds that may wait in a buffer at all.
        boolean anyUnordered = false;
        for (int k2 = 0; k2 < KINDS; k2++) {
            for (int k1 = 0; k1 < KINDS; k1++) {
                if (!buffered[k1] || !buffered[k2]) {
                    continue;
                }
                if (StoreStore.ordered(m, primitive(k1), order(k1), null, primitive(k2), order(k2))) {
                    writeWaits[k2] |= 1 << k1;
                } else {
                    anyUnordered = true;
                }
            }
        }
        this.outOfOrder = anyUnordered;
        for (Primitive p : Primitive.values()) {
            if (Sched.isBarrier(p) && anyUnordered) {
                ordersWrites[p.ordinal()] = StoreStore.ordered(m, Primitive.STORE, Order.RELAXED, p, Primitive.STORE,
                        Order.RELAXED);
            }
        }
    }

    /** The access a kind's write comes from. */
    private static Primitive primitive(int kind) {
        return WRITES[kind / ORDERS.length];
    }

    private static Order order(int kind) {
        return ORDERS[kind % ORDERS.length];
    }

    /**
     * The kind number of a buffered write: {@code access} is {@link Primitive#STORE},
     * {@link Primitive#RMW} (it returns a value) or {@link Primitive#RMW_NO_RETURN}.
     */
    static int kind(Primitive access, Order order) {
        for (int a = 0; a < WRITES.length; a++) {
            if (WRITES[a] == access) {
                return a * ORDERS.length + order.ordinal();
            }
        }
        throw new IllegalArgumentException("access must be STORE, RMW or RMW_NO_RETURN: " + access);
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

    /**
     * Whether buffered writes to different locations may become visible in another order than
     * they were made (arm64, power); false where every buffered write is ordered before every
     * later one (tso: one FIFO buffer per CPU).
     */
    boolean outOfOrder() {
        return outOfOrder;
    }

    /** The kinds of earlier buffered writes a write of this kind must not become visible before, as a bit mask. */
    int writeWaits(int kind) {
        return writeWaits[kind];
    }

    /** Whether the barrier orders every earlier write before every later write. */
    boolean ordersWrites(Primitive barrier) {
        return ordersWrites[barrier.ordinal()];
    }

    /** Whether the barrier orders every earlier store before every later load (drains the buffer). */
    boolean drains(Primitive barrier) {
        return drains[barrier.ordinal()];
    }
}
