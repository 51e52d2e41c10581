package org.gupsim.litmus;

import java.util.BitSet;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;

/**
 * One step of a thread path: a kernel primitive on a location (or an RCU marker), with the read it
 * makes (a thread-local id, or -1), the value it writes, what its read must return for the path
 * to be possible, and its dependencies as sets of read ids.
 *
 * @param primitive  the primitive, or null for a marker
 * @param order      its ordering
 * @param marker     {@link Marker#NONE} for a primitive
 * @param loc        the location accessed, or null
 * @param readId     the id of the value it reads, or -1
 * @param write      the value it writes, or null
 * @param mustRead   the value its read must return (a lock taken from 0, a grace-period flag seen), or null
 * @param addrDeps   reads the address was computed from
 * @param dataDeps   reads the written value was computed from (the read of a read-modify-write itself excluded)
 * @param ctrlDeps   reads the branches taken to reach this op depended on
 * @param line       the source line, for messages
 */
record Op(Primitive primitive, Order order, Marker marker, String loc, int readId, Sym write, Value mustRead,
        BitSet addrDeps, BitSet dataDeps, BitSet ctrlDeps, int line) {

    /** The non-memory steps that RCU's grace-period handshake is built from. */
    enum Marker { NONE, RCU_LOCK, RCU_UNLOCK, SYNC_RCU }

    static Op marker(Marker m, BitSet ctrl, int line) {
        return new Op(null, Order.RELAXED, m, null, -1, null, null, new BitSet(), new BitSet(), ctrl, line);
    }

    static Op fence(Primitive p, BitSet ctrl, int line) {
        return new Op(p, Order.RELAXED, Marker.NONE, null, -1, null, null, new BitSet(), new BitSet(), ctrl, line);
    }
}
