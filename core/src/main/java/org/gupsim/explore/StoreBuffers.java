package org.gupsim.explore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedHook;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.Violation;
import org.gupsim.sched.WeakCell;

/**
 * Store buffers between the kernel model and the explorer: the operational side of a memory model
 * weaker than sequential consistency, for one execution. Each thread of the target has a FIFO
 * buffer; its marked stores to {@link WeakCell} entries wait there until its flush thread (an
 * ordinary explorer thread, see {@link StoreBufferTarget}) makes them visible, one step each, so
 * the explorer decides where each store becomes visible as it decides everything else. Loads
 * see the CPU's own newest buffered store to the entry, else memory.
 *
 * <p>What the model says (asked once, {@link StoreOrdering}): which stores and read-modify-writes
 * may wait in the buffer while later loads go ahead; which loads must first wait until the buffer
 * holds none of the kinds the model orders before them ({@code [L];po;[A]} on arm64); which
 * barriers drain the buffer. What the buffers do on their own, stronger than every modelled
 * architecture, so that nothing is allowed the model forbids: stores leave in program order; loads
 * are satisfied in program order; a value-returning or unbuffered read-modify-write, a lock, an
 * unlock, an IPI, any wait, a write to memory that is not a {@link WeakCell}, and the end of an
 * IRQ-off, preempt-off or RCU section drain the buffer first. A read-modify-write whose write the
 * model lets later loads pass (arm64's {@code swp} of {@code xchg_relaxed()}, a bare powerpc
 * {@code ldarx/stdcx.}) reads memory with nothing buffered for the entry anywhere and puts its
 * write in the buffer holding the entry until it is visible, so no other store can come between
 * its read and its write.
 *
 * <p>The steps and what the partial-order reduction must know of them: a buffered store is a
 * step on its entry (as a write: the order of two CPUs' stores to one entry decides who may
 * store, see below); making it visible is a step of the flush thread on the entry; a CPU waiting
 * for its buffer to drain, and a flush thread waiting for its CPU's next store, are
 * {@link Access#FLUSH} steps, dependent on every step of the other thread. Nothing else reads
 * the buffers.
 *
 * <p>The entries keep their own fields as the newest stored value (what the storing CPU reads
 * back, and what plain Java reads of them see); for entries with buffered stores this class keeps
 * what memory holds. Two CPUs may have stores to one entry buffered together when all are
 * replacing stores, or all adds or bit operations (which combine in any order); a CPU whose store
 * is of the other sort waits until the others are visible. When replacing stores become visible
 * in another order than they were made, the entry is set to memory's value at the end.
 */
final class StoreBuffers implements SchedHook {

    private static final int ALL_KINDS = (1 << StoreOrdering.KINDS) - 1;
    private static final int REPLACE = 0;
    private static final int MERGE = 1;

    /** One buffered store. */
    private static final class Entry {
        final int thread;
        final Object object;
        final WeakCell cell;
        final int index;
        final String function;
        final int kind;
        final WeakCell.Merge merge;
        final boolean reserved;
        final Cell state;
        long before;
        long after;

        Entry(int thread, Object object, WeakCell cell, int index, String function, int kind, WeakCell.Merge merge,
              boolean reserved, Cell state) {
            this.thread = thread;
            this.object = object;
            this.cell = cell;
            this.index = index;
            this.function = function;
            this.kind = kind;
            this.merge = merge;
            this.reserved = reserved;
            this.state = state;
        }

        int sort() {
            return merge == WeakCell.Merge.REPLACE ? REPLACE : MERGE;
        }

        /** The entry's value once this store is visible on top of {@code v}. */
        long apply(long v) {
            return switch (merge) {
                case REPLACE -> after;
                case ADD -> v + (after - before);
                case BITS -> {
                    long mask = before ^ after;
                    yield (v & ~mask) | (after & mask);
                }
            };
        }
    }

    /** An entry of an object with stores buffered: what memory holds, and the stores in the order made. */
    private static final class Cell {
        final ObjectState owner;
        final int index;
        long memory;
        final List<Entry> entries = new ArrayList<>(2);
        /** Stores of each sort ({@link #REPLACE}, {@link #MERGE}) buffered per thread. */
        final int[][] sorts;
        int reservedBy = -1;
        boolean reordered;

        Cell(ObjectState owner, int index, long memory, int threads) {
            this.owner = owner;
            this.index = index;
            this.memory = memory;
            this.sorts = new int[2][threads];
        }
    }

    /** The cells of one object that have stores buffered. */
    private static final class ObjectState {
        final Map<Integer, Cell> cells = new HashMap<>();
        int pending;
    }

    /** An object naming a thread for {@link Access#FLUSH} steps. */
    private record ThreadKey(String schedKey) implements SchedKeyed {
        @Override
        public String toString() {
            return schedKey;
        }
    }

    private final SchedHook inner;
    private final Sched sched;
    private final StoreOrdering ordering;
    private final int n;
    private final String[] names;
    private final List<ArrayDeque<Entry>> buffers = new ArrayList<>();
    private final int[][] kinds;
    private final Entry[] open;
    private final boolean[] finished;
    private final ThreadKey[] drainKeys;
    private final ThreadKey[] ownerKeys;
    private final IdentityHashMap<Object, ObjectState> objects = new IdentityHashMap<>();

    /**
     * @param inner    the explorer's hook
     * @param sched    the machine's seam (for the running thread)
     * @param ordering what the model orders
     * @param names    the names of the buffered threads (0..n-1); thread {@code i}'s flush thread is
     *                 named {@code flushName(names[i])}
     */
    StoreBuffers(SchedHook inner, Sched sched, StoreOrdering ordering, String[] names) {
        this.inner = inner;
        this.sched = sched;
        this.ordering = ordering;
        this.n = names.length;
        this.names = names.clone();
        this.kinds = new int[n][StoreOrdering.KINDS];
        this.open = new Entry[n];
        this.finished = new boolean[n];
        this.drainKeys = new ThreadKey[n];
        this.ownerKeys = new ThreadKey[n];
        for (int t = 0; t < n; t++) {
            buffers.add(new ArrayDeque<>());
            drainKeys[t] = new ThreadKey(flushName(names[t]));
            ownerKeys[t] = new ThreadKey(names[t]);
        }
    }

    /** The name of the flush thread of the thread named {@code owner}. */
    static String flushName(String owner) {
        return owner + ".sb";
    }

    // ---- the hook kernel code talks to

    @Override
    public void point(Object object, int index, Access access, String function) {
        point(object, index, access, access == Access.RMW ? Order.FULL : Order.RELAXED, function);
    }

    @Override
    public void point(Object object, int index, Access access, Order order, String function) {
        int me = sched.running();
        if (me < 0 || me >= n) {
            inner.point(object, index, access, order, function);
            return;
        }
        seal(me);
        WeakCell cell = object instanceof WeakCell w && index >= 0 ? w : null;
        Order o = order == null ? Order.RELAXED : order;
        switch (access) {
            case READ -> {
                if (cell != null) {
                    drain(me, ordering.loadWaits(o), function);
                }
                inner.point(object, index, access, o, function);
            }
            case WRITE -> {
                int kind = StoreOrdering.kind(false, o);
                if (cell != null && ordering.buffered(kind)) {
                    buffer(me, object, cell, index, WeakCell.Merge.REPLACE, kind, false, function);
                } else {
                    direct(me, object, index, access, o, function);
                }
            }
            case RMW -> {
                int kind = StoreOrdering.kind(true, o);
                WeakCell.Merge merge = cell == null ? null : cell.weakMerge(index);
                if (cell != null && ordering.buffered(kind) && merge != WeakCell.Merge.REPLACE && o != Order.FULL) {
                    // atomic_add(), set_bit() and friends return nothing: the write combines with
                    // memory when it leaves the buffer, so it needs no read now
                    buffer(me, object, cell, index, merge, kind, false, function);
                } else if (cell != null && ordering.buffered(kind)) {
                    drain(me, ALL_KINDS, function);
                    inner.waitUntil(object, index, access, function, () -> quiet(object, index),
                            "stores to " + describe(object, index) + " in other store buffers to become visible");
                    record(me, object, cell, index, merge, kind, true, function);
                } else {
                    direct(me, object, index, access, o, function);
                }
            }
            case FREE, RELEASE, IPI -> direct(me, object, index, access, o, function);
            case ACQUIRE -> {
                // spin_lock() and friends carry an ordering; IRQ-off, preempt-off and
                // rcu_read_lock() are CPU-local and order nothing.
                if (o != Order.RELAXED) {
                    drain(me, ALL_KINDS, function);
                }
                inner.point(object, index, access, o, function);
            }
            default -> inner.point(object, index, access, o, function);
        }
    }

    /**
     * An access that is not buffered: after the buffer drained, and, for a {@link WeakCell}, once
     * no store to what it touches is buffered anywhere (so the object's fields are memory).
     */
    private void direct(int me, Object object, int index, Access access, Order order, String function) {
        drain(me, ALL_KINDS, function);
        if (object instanceof WeakCell) {
            inner.waitUntil(object, index, access, function, () -> quiet(object, index),
                    "stores to " + describe(object, index) + " in other store buffers to become visible");
        } else {
            inner.point(object, index, access, order, function);
        }
    }

    @Override
    public void fence(Primitive barrier, String function) {
        int me = sched.running();
        if (me < 0 || me >= n) {
            return;
        }
        seal(me);
        if (ordering.drains(barrier)) {
            drain(me, ALL_KINDS, kernelName(barrier) + " in " + function);
        }
    }

    @Override
    public void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
            String waitingFor) {
        int me = sched.running();
        if (me >= 0 && me < n) {
            seal(me);
            drain(me, ALL_KINDS, function);
        }
        inner.waitUntil(object, index, access, function, condition, waitingFor);
    }

    @Override
    public void violation(Violation violation) {
        inner.violation(violation);
    }

    @Override
    public long load(WeakCell cell, int index, long held) {
        int me = sched.running();
        if (me < 0 || me >= n) {
            return held;
        }
        // No seal here: a read-modify-write loads between its point and its write, and its own
        // entry (reserved, made at the point) must read as what memory held then.
        Cell c = cell(cell, index);
        if (c == null) {
            return held;
        }
        long v = c.memory;
        for (Entry e : c.entries) {
            if (e.thread == me) {
                v = e.apply(v);
            }
        }
        return v;
    }

    // ---- the buffers

    /** A store that goes to the buffer: a step on the entry, once no other CPU holds it. */
    private void buffer(int me, Object object, WeakCell cell, int index, WeakCell.Merge merge, int kind,
            boolean reserved, String function) {
        int sort = merge == WeakCell.Merge.REPLACE ? REPLACE : MERGE;
        inner.waitUntil(object, index, Access.WRITE, function, () -> compatible(object, index, me, sort),
                "stores to " + describe(object, index) + " in other store buffers to become visible");
        record(me, object, cell, index, merge, kind, reserved, function);
    }

    private void record(int me, Object object, WeakCell cell, int index, WeakCell.Merge merge, int kind,
            boolean reserved, String function) {
        ObjectState os = objects.computeIfAbsent(object, k -> new ObjectState());
        Cell c = os.cells.get(index);
        long held = cell.weakValue(index);
        if (c == null) {
            c = new Cell(os, index, held, n);
            os.cells.put(index, c);
        }
        Entry e = new Entry(me, object, cell, index, function, kind, merge, reserved, c);
        e.before = held;
        e.after = held;
        c.entries.add(e);
        c.sorts[e.sort()][me]++;
        if (reserved) {
            c.reservedBy = me;
        }
        os.pending++;
        buffers.get(me).addLast(e);
        kinds[me][kind]++;
        open[me] = e;
    }

    /**
     * Takes the value the CPU stored: the kernel code writes the object's field after the point
     * that buffered the store, so the store is complete at the CPU's next point (or when it ends).
     */
    private void seal(int me) {
        Entry e = open[me];
        if (e != null) {
            e.after = e.cell.weakValue(e.index);
            open[me] = null;
        }
    }

    /** Waits, as an {@link Access#FLUSH} step, until the buffer holds no entry of the kinds in {@code mask}. */
    private void drain(int me, int mask, String function) {
        if (!holds(me, mask)) {
            return;
        }
        inner.waitUntil(drainKeys[me], -1, Access.FLUSH, function, () -> !holds(me, mask),
                names[me] + "'s store buffer to drain");
    }

    private boolean holds(int me, int mask) {
        int[] k = kinds[me];
        for (int m = mask; m != 0; m &= m - 1) {
            if (k[Integer.numberOfTrailingZeros(m)] > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether no store to the entry (or, with index -1, to any entry of the object) is buffered. */
    private boolean quiet(Object object, int index) {
        ObjectState os = objects.get(object);
        if (os == null) {
            return true;
        }
        return index < 0 ? os.pending == 0 : !os.cells.containsKey(index);
    }

    /** Whether {@code me} may buffer a store of {@code sort} to the entry now. */
    private boolean compatible(Object object, int index, int me, int sort) {
        Cell c = cell(object, index);
        if (c == null) {
            return true;
        }
        if (c.reservedBy >= 0 && c.reservedBy != me) {
            return false;
        }
        int[] others = c.sorts[1 - sort];
        for (int t = 0; t < n; t++) {
            if (t != me && others[t] > 0) {
                return false;
            }
        }
        return true;
    }

    private Cell cell(Object object, int index) {
        ObjectState os = objects.get(object);
        return os == null ? null : os.cells.get(index);
    }

    // ---- the flush threads and the ends of the CPUs' programs

    /** Thread {@code t}'s program is over: its last store is complete, and its flush thread may end. */
    void finished(int t) {
        seal(t);
        finished[t] = true;
    }

    /**
     * The program of thread {@code t}'s flush thread: makes the oldest buffered store visible, one
     * step each, until the thread has ended and its buffer is empty.
     */
    void flush(int t) {
        ArrayDeque<Entry> buffer = buffers.get(t);
        while (true) {
            if (buffer.isEmpty()) {
                inner.waitUntil(ownerKeys[t], -1, Access.FLUSH, "store buffer", () -> !buffer.isEmpty() || finished[t],
                        "a store of " + names[t]);
                if (buffer.isEmpty()) {
                    return;
                }
            }
            Entry e = buffer.peekFirst();
            inner.point(e.object, e.index, Access.WRITE, e.function + " (visible)");
            commit(t, e);
        }
    }

    private void commit(int t, Entry e) {
        buffers.get(t).pollFirst();
        kinds[t][e.kind]--;
        Cell c = e.state;
        if (c.entries.indexOf(e) != 0) {
            c.reordered = true;
        }
        c.entries.remove(e);
        c.sorts[e.sort()][t]--;
        c.memory = e.apply(c.memory);
        if (e.reserved) {
            c.reservedBy = -1;
        }
        c.owner.pending--;
        if (!c.entries.isEmpty()) {
            return;
        }
        long held = e.cell.weakValue(e.index);
        if (held != c.memory) {
            if (!c.reordered || e.merge == WeakCell.Merge.ADD) {
                throw new IllegalStateException(describe(e.object, e.index) + " holds " + held + " but its stores add up to "
                        + c.memory + ": something wrote it without a scheduling point while stores to it were buffered");
            }
            e.cell.setWeakValue(e.index, c.memory);
        }
        c.owner.cells.remove(e.index);
        if (c.owner.pending == 0) {
            objects.remove(e.object);
        }
    }

    private static String describe(Object object, int index) {
        String k = object instanceof SchedKeyed s ? s.schedKey() : String.valueOf(object);
        return index >= 0 ? k + "[" + index + "]" : k;
    }

    /** The kernel's name of a barrier primitive, for traces. */
    static String kernelName(Primitive barrier) {
        return switch (barrier) {
            case MB -> "smp_mb";
            case RMB -> "smp_rmb";
            case WMB -> "smp_wmb";
            case MB_BEFORE_ATOMIC -> "smp_mb__before_atomic";
            case MB_AFTER_ATOMIC -> "smp_mb__after_atomic";
            case MB_AFTER_SPINLOCK -> "smp_mb__after_spinlock";
            default -> barrier.name();
        };
    }
}
