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
 * buffer; its marked stores to {@link WeakCell} fields wait there until its flush thread (an
 * ordinary explorer thread, see {@link StoreBufferTarget}) makes them visible, one step each, so
 * the explorer decides where each store becomes visible as it decides everything else. Loads
 * see the CPU's own newest buffered store to the field, else memory.
 *
 * <p>What the model says (asked once, {@link StoreOrdering}): which stores and read-modify-writes
 * may wait in the buffer while later loads go ahead; which loads must first wait until the buffer
 * holds none of the kinds the model orders before them ({@code [L];po;[A]} on arm64); which
 * barriers drain the buffer. What the buffers do on their own, stronger than every modelled
 * architecture, so that nothing is allowed the model forbids: stores leave in program order; loads
 * are satisfied in program order; a value-returning or unbuffered read-modify-write, a lock, an
 * unlock, an IPI, any wait, a write to memory that is not a {@link WeakCell}, and the end of an
 * IRQ-off, preempt-off or RCU section drain the buffer first, and a read-modify-write or unbuffered
 * write of a field also waits until no other CPU has a store to it buffered. A read-modify-write
 * whose write the model lets later loads pass (arm64's {@code swp} of {@code xchg_relaxed()}, a
 * bare powerpc {@code ldarx/stdcx.}) then puts its write in its (empty) buffer holding the field
 * until the write is visible: no other CPU's store to the field becomes visible in between, so
 * nothing comes between its read and its write.
 *
 * <p>The steps, and what the partial-order reduction must know of them: putting a store in the
 * buffer is a write of the buffer only (no other CPU sees it); the flush thread waits for its
 * CPU's next store as a read of the buffer; making a store visible is a step of the flush thread
 * on the field (a write, waiting for another CPU's reservation if there is one); a CPU waiting for
 * its buffer to drain is an {@link Access#FLUSH} step, dependent on every step of its flush
 * thread, since every one of them empties the buffer a little.
 *
 * <p>The fields keep the newest stored value (what the storing CPU reads back, and what plain Java
 * reads see); for fields with buffered stores this class keeps what memory holds and each CPU's
 * stores in order, so a load sees memory plus its own CPU's stores. When the last buffered store
 * to a field becomes visible the field is set to memory's value (stores of several CPUs may have
 * become visible in another order than they were made); a field only one CPU stored to must
 * already hold it, or something wrote it without a scheduling point, which is reported as a bug
 * of the model.
 */
final class StoreBuffers implements SchedHook {

    private static final int ALL_KINDS = (1 << StoreOrdering.KINDS) - 1;

    /** One buffered store. */
    private static final class Entry {
        final int thread;
        /** What the explorer sees: the point's object and index. */
        final Object object;
        final int index;
        /** What memory it is: the cell and its field. */
        final WeakCell cell;
        final int field;
        final String function;
        final int kind;
        final WeakCell.Merge merge;
        final boolean reserved;
        final Field state;
        long before;
        long after;

        Entry(int thread, Object object, int index, WeakCell cell, int field, String function, int kind,
              WeakCell.Merge merge, boolean reserved, Field state) {
            this.thread = thread;
            this.object = object;
            this.index = index;
            this.cell = cell;
            this.field = field;
            this.function = function;
            this.kind = kind;
            this.merge = merge;
            this.reserved = reserved;
            this.state = state;
        }

        /** The field's value once this store is visible on top of {@code v}. */
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

    /** A field with stores buffered: what memory holds, and the stores in the order made. */
    private static final class Field {
        final CellState owner;
        long memory;
        final List<Entry> entries = new ArrayList<>(2);
        /** The threads that stored to it since it was last quiet, as a bit mask. */
        long contributors;
        int reservedBy = -1;

        Field(CellState owner, long memory) {
            this.owner = owner;
            this.memory = memory;
        }
    }

    /** The fields of one cell that have stores buffered. */
    private static final class CellState {
        final Map<Integer, Field> fields = new HashMap<>();
        int pending;
    }

    /** An object with a stable key, for the steps on the buffers. */
    private record Key(String schedKey) implements SchedKeyed {
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
    /** Per thread: its buffer, as stores into it and the flush thread's waits name it. */
    private final Key[] bufferKeys;
    /** Per thread: the name of its flush thread, as a drain names it ({@link Access#FLUSH}). */
    private final Key[] flushKeys;
    private final IdentityHashMap<WeakCell, CellState> cells = new IdentityHashMap<>();
    /** While a wait's condition is evaluated ({@link #asSeenBy}): the thread whose view the fields hold (n for none), else -1. */
    private int viewing = -1;

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
        this.bufferKeys = new Key[n];
        this.flushKeys = new Key[n];
        for (int t = 0; t < n; t++) {
            buffers.add(new ArrayDeque<>());
            bufferKeys[t] = new Key(names[t] + "'s store buffer");
            flushKeys[t] = new Key(flushName(names[t]));
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
        WeakCell cell = object instanceof WeakCell w ? w : null;
        point(object, index, access, order, function, cell, index);
    }

    @Override
    public void point(Object object, int index, Access access, Order order, String function, WeakCell cellArg,
            int fieldArg) {
        int me = sched.running();
        if (me < 0 || me >= n) {
            inner.point(object, index, access, order, function);
            return;
        }
        seal(me);
        // a field of a cell; or (field -1) a whole cell; or (no cell) memory the buffers do not hold
        WeakCell cell = fieldArg >= 0 ? cellArg : null;
        int field = fieldArg;
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
                    buffer(me, object, index, cell, field, WeakCell.Merge.REPLACE, kind, function);
                } else {
                    direct(me, object, index, access, o, function, cellArg, field);
                }
            }
            case RMW -> {
                int kind = StoreOrdering.kind(true, o);
                WeakCell.Merge merge = cell == null ? null : cell.weakMerge(field);
                if (cell != null && ordering.buffered(kind) && merge != WeakCell.Merge.REPLACE && o != Order.FULL) {
                    // atomic_add(), set_bit() and friends return nothing: the write combines with
                    // memory when it leaves the buffer, so it needs no read now
                    buffer(me, object, index, cell, field, merge, kind, function);
                } else if (cell != null && ordering.buffered(kind)) {
                    direct(me, object, index, access, o, function, cell, field);
                    record(me, object, index, cell, field, merge, kind, true, function);
                } else {
                    direct(me, object, index, access, o, function, cellArg, field);
                }
            }
            case FREE, RELEASE, IPI -> direct(me, object, index, access, o, function, cellArg, field);
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
     * An access made to memory at once: after the buffer drained, and, for a {@link WeakCell},
     * once no other CPU has a store to what it touches (the field, or with field -1 the whole cell)
     * buffered, so that the cell's fields are memory.
     */
    private void direct(int me, Object object, int index, Access access, Order order, String function, WeakCell cell,
            int field) {
        drain(me, ALL_KINDS, function);
        if (cell != null) {
            inner.waitUntil(object, index, access, function, () -> quiet(cell, field),
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

    /**
     * A wait of kernel code: the CPU drains its buffer, then waits until {@code condition} holds
     * <em>as memory holds it for this CPU</em>. The explorer evaluates the condition at its
     * decisions, while other threads hold the baton, and kernel code writes a wait's condition as
     * plain reads of its objects' fields ({@code t.peek(index) != orig}, {@code f.refcount() != 0});
     * those fields keep the newest stored value, which may still sit in another CPU's buffer. A
     * spinning CPU sees what its loads see, so each evaluation runs inside {@link #asSeenBy}: every
     * field with stores buffered holds, for the duration of the call, what a load of the waiting
     * CPU would return (memory, plus the CPU's own buffered stores, forwarded to its own loads under
     * tso, arm64 and power alike; after the drain it has none). A condition that woke on the newest
     * value would let the CPU run on while its next load still sees the old one: the fault retried
     * forever in a schedule that never lets the buffer drain (migration_entry_wait() did that).
     */
    @Override
    public void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
            String waitingFor) {
        int me = sched.running();
        if (me >= 0 && me < n) {
            seal(me);
            drain(me, ALL_KINDS, function);
        }
        int viewer = me >= 0 && me < n ? me : -1;
        inner.waitUntil(object, index, access, function, () -> asSeenBy(viewer, condition), waitingFor);
    }

    /**
     * Evaluates {@code condition} with every field that has stores buffered set to what thread
     * {@code viewer} would load from it (memory alone for -1, a thread with no buffer), then puts
     * the newest values back. Nothing else runs meanwhile: the explorer evaluates conditions holding
     * the baton, and a condition has no side effects.
     */
    private boolean asSeenBy(int viewer, BooleanSupplier condition) {
        if (cells.isEmpty() || viewing >= 0) {
            return condition.getAsBoolean();
        }
        List<Field> swapped = new ArrayList<>();
        List<Long> newest = new ArrayList<>();
        for (CellState cs : cells.values()) {
            for (Field f : cs.fields.values()) {
                WeakCell cell = f.entries.get(0).cell;
                int field = f.entries.get(0).field;
                swapped.add(f);
                newest.add(cell.weakValue(field));
                cell.setWeakValue(field, seenBy(viewer, f));
            }
        }
        viewing = viewer < 0 ? n : viewer;
        try {
            return condition.getAsBoolean();
        } finally {
            viewing = -1;
            for (int i = 0; i < swapped.size(); i++) {
                Entry e = swapped.get(i).entries.get(0);
                e.cell.setWeakValue(e.field, newest.get(i));
            }
        }
    }

    /** What a load of thread {@code t} returns from a field with stores buffered: memory plus its own stores. */
    private static long seenBy(int t, Field f) {
        long v = f.memory;
        for (Entry e : f.entries) {
            if (e.thread == t) {
                v = e.apply(v);
            }
        }
        return v;
    }

    @Override
    public void violation(Violation violation) {
        inner.violation(violation);
    }

    @Override
    public long load(WeakCell cell, int field, long held) {
        if (viewing >= 0) {
            // inside a wait's condition (asSeenBy): the fields already hold what the waiter sees
            return held;
        }
        int me = sched.running();
        if (me < 0 || me >= n) {
            return held;
        }
        // No seal here: a read-modify-write loads between its point and its write, and its own
        // entry (reserved, made at the point) must read as what memory held then.
        Field f = field(cell, field);
        return f == null ? held : seenBy(me, f);
    }

    // ---- the buffers

    /** A store into the buffer: a step on the buffer alone, which only the flush thread reads. */
    private void buffer(int me, Object object, int index, WeakCell cell, int field, WeakCell.Merge merge, int kind,
            String function) {
        inner.point(bufferKeys[me], -1, Access.WRITE, function + " (" + describe(object, index) + ")");
        record(me, object, index, cell, field, merge, kind, false, function);
    }

    private void record(int me, Object object, int index, WeakCell cell, int field, WeakCell.Merge merge, int kind,
            boolean reserved, String function) {
        CellState cs = cells.computeIfAbsent(cell, k -> new CellState());
        Field f = cs.fields.get(field);
        long held = cell.weakValue(field);
        if (f == null) {
            f = new Field(cs, held);
            cs.fields.put(field, f);
        }
        Entry e = new Entry(me, object, index, cell, field, function, kind, merge, reserved, f);
        e.before = held;
        e.after = held;
        f.entries.add(e);
        f.contributors |= 1L << me;
        if (reserved) {
            f.reservedBy = me;
        }
        cs.pending++;
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
            e.after = e.cell.weakValue(e.field);
            open[me] = null;
        }
    }

    /** Waits, as an {@link Access#FLUSH} step, until the buffer holds no entry of the kinds in {@code mask}. */
    private void drain(int me, int mask, String function) {
        if (!holds(me, mask)) {
            return;
        }
        inner.waitUntil(flushKeys[me], -1, Access.FLUSH, function, () -> !holds(me, mask),
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

    /** Whether no store to the field (or, with field -1, to any field of the cell) is buffered. */
    private boolean quiet(WeakCell cell, int field) {
        CellState cs = cells.get(cell);
        if (cs == null) {
            return true;
        }
        return field < 0 ? cs.pending == 0 : !cs.fields.containsKey(field);
    }

    private Field field(WeakCell cell, int field) {
        CellState cs = cells.get(cell);
        return cs == null ? null : cs.fields.get(field);
    }

    // ---- the flush threads and the ends of the CPUs' programs

    /**
     * Thread {@code t}'s program is over: its last store is complete, and its flush thread may end.
     * A flush thread waiting for the next store learns it from a last step on the buffer.
     */
    void finished(int t) {
        seal(t);
        if (buffers.get(t).isEmpty()) {
            inner.point(bufferKeys[t], -1, Access.WRITE, "end of program");
        }
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
                inner.waitUntil(bufferKeys[t], -1, Access.READ, "store buffer",
                        () -> !buffer.isEmpty() || finished[t], "a store of " + names[t]);
                if (buffer.isEmpty()) {
                    return;
                }
            }
            Entry e = buffer.peekFirst();
            Field f = e.state;
            inner.waitUntil(e.object, e.index, Access.WRITE, e.function + " (visible)",
                    () -> f.reservedBy < 0 || f.reservedBy == t,
                    "a read-modify-write of " + describe(e.object, e.index) + " to become visible");
            commit(t, e);
        }
    }

    private void commit(int t, Entry e) {
        buffers.get(t).pollFirst();
        kinds[t][e.kind]--;
        Field f = e.state;
        f.entries.remove(e);
        f.memory = e.apply(f.memory);
        if (e.reserved) {
            f.reservedBy = -1;
        }
        f.owner.pending--;
        if (!f.entries.isEmpty()) {
            return;
        }
        long held = e.cell.weakValue(e.field);
        if (held != f.memory) {
            if (Long.bitCount(f.contributors) == 1) {
                throw new IllegalStateException(describe(e.object, e.index) + " field " + e.field + " holds " + held
                        + " but its stores add up to " + f.memory
                        + ": something wrote it without a scheduling point while stores to it were buffered");
            }
            e.cell.setWeakValue(e.field, f.memory);
        }
        f.owner.fields.remove(e.field);
        if (f.owner.pending == 0) {
            cells.remove(e.cell);
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
