package org.gupsim.explore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
 * weaker than sequential consistency, for one execution. Each thread of the target has FIFO
 * buffers — one on tso; on arm64 and power one per location it stores to (up to the target's lane
 * count, see {@link #laneFor}), so that stores to different locations become visible out of order;
 * its marked stores to {@link WeakCell} fields wait there until the buffer's flush thread (an
 * ordinary explorer thread, see {@link StoreBufferTarget}) makes them visible, one step each, so
 * the explorer decides where each store becomes visible as it decides everything else. Loads
 * see the CPU's own newest buffered store to the field, else memory.
 *
 * <p>What the model says (asked once, {@link StoreOrdering}): which stores and read-modify-writes
 * may wait in a buffer while later loads go ahead; which loads must first wait until the buffers
 * hold none of the kinds the model orders before them ({@code [L];po;[A]} on arm64); which
 * barriers drain the buffers; which writes must not pass which earlier writes, and which barriers
 * order writes (a store after {@code smp_wmb()}, or a release store, waits as a drain does until
 * the earlier stores it must follow are visible: see {@link #buffer}). What the buffers do on their
 * own, stronger than every modelled architecture, so that nothing is allowed the model forbids:
 * stores to one location leave in program order; loads are satisfied in program order; a
 * value-returning or unbuffered read-modify-write, a lock, an unlock, an IPI, any wait, a write to
 * memory that is not a {@link WeakCell}, and the end of an IRQ-off, preempt-off or RCU section
 * drain the buffers first. Such an access then reads and writes memory beneath other CPUs' buffered
 * stores to the field ({@link #direct}). A read-modify-write whose write the model lets later
 * loads pass (arm64's {@code swp} of {@code xchg_relaxed()}, a bare powerpc {@code ldarx/stdcx.})
 * then puts its write in its (empty) buffer holding the field until the write is visible: no other
 * CPU's store to the field becomes visible in between, so nothing comes between its read and its
 * write.
 *
 * <p>The steps, and what the partial-order reduction must know of them: putting a store in a
 * buffer is a write of that buffer only (no other CPU sees it); a flush thread waits for its
 * buffer's next store as a read of the buffer; making a store visible is a step of the flush thread
 * on the field (a write, waiting for another CPU's reservation if there is one); a CPU waiting for
 * its buffers to drain is an {@link Access#FLUSH} step per buffer that holds anything, dependent on
 * every step of that buffer's flush thread, since every one of them empties the buffer a little.
 * No flush thread ever waits for another.
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
        /** Which of its CPU's buffers (one per location on arm64 and power, see {@link #laneFor}). */
        final int lane;
        final WeakCell.Merge merge;
        final boolean reserved;
        final Field state;
        long before;
        long after;

        Entry(int thread, Object object, int index, WeakCell cell, int field, String function, int kind, int lane,
              WeakCell.Merge merge, boolean reserved, Field state) {
            this.thread = thread;
            this.object = object;
            this.index = index;
            this.cell = cell;
            this.field = field;
            this.function = function;
            this.kind = kind;
            this.lane = lane;
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
        final WeakCell cell;
        final int index;
        long memory;
        final List<Entry> entries = new ArrayList<>(2);
        /** The threads that stored to it since it was last quiet, as a bit mask. */
        long contributors;
        int reservedBy = -1;

        Field(CellState owner, WeakCell cell, int index, long memory) {
            this.owner = owner;
            this.cell = cell;
            this.index = index;
            this.memory = memory;
        }

        /** The newest value: memory with the buffered stores on top, in the order they will become visible. */
        long newest() {
            long v = memory;
            for (Entry e : entries) {
                v = e.apply(v);
            }
            return v;
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
    /** Buffers (lanes) per thread: one FIFO on tso, one per location (up to this many) on arm64 and power. */
    private final int lanes;
    /** Per thread and lane: the lane's stores in program order. */
    private final ArrayDeque<Entry>[][] queues;
    /** Per thread, lane and kind: how many entries of the kind the lane holds. */
    private final int[][][] kinds;
    private final Entry[] open;
    /** Per thread: the fields its current direct access found other CPUs' stores buffered for (see {@link #direct}). */
    private final List<List<Field>> atMemory = new ArrayList<>();
    /** Per thread: whether that access writes memory (else its write is buffered, reserved). */
    private final boolean[] writesMemory;
    private final boolean[] finished;
    /** Per thread: whether it passed a write barrier after buffering stores it has not drained since. */
    private final boolean[] writeFenced;
    /** Per thread: whether it buffered a store since its last full drain (as its own program knows). */
    private final boolean[] storedSinceDrain;
    /** Per thread: the kinds it buffered since its last full drain, as a bit mask. */
    private final int[] storedKinds;
    /** Per thread: the locations given their own lane since the last full drain, in order (lane i for the i-th). */
    private final WeakCell[][] laneCells;
    private final int[][] laneFields;
    private final int[] laneLocations;
    /** Per thread and lane: the lane, as stores into it and the flush thread's waits name it. */
    private final Key[][] bufferKeys;
    /** Per thread and lane: the name of the lane's flush thread, as a drain names it ({@link Access#FLUSH}). */
    private final Key[][] flushKeys;
    private final IdentityHashMap<WeakCell, CellState> cells = new IdentityHashMap<>();
    /** While a wait's condition is evaluated ({@link #asSeenBy}): the thread whose view the fields hold (n for none), else -1. */
    private int viewing = -1;

    /**
     * @param inner    the explorer's hook
     * @param sched    the machine's seam (for the running thread)
     * @param ordering what the model orders
     * @param names    the names of the buffered threads (0..n-1); thread {@code i}'s lane {@code j}
     *                 flush thread is named {@code flushName(names[i], j)}
     * @param lanes    buffers per thread (1: one FIFO)
     */
    @SuppressWarnings("unchecked")
    StoreBuffers(SchedHook inner, Sched sched, StoreOrdering ordering, String[] names, int lanes) {
        this.inner = inner;
        this.sched = sched;
        this.ordering = ordering;
        this.n = names.length;
        this.names = names.clone();
        this.lanes = lanes;
        this.queues = new ArrayDeque[n][lanes];
        this.kinds = new int[n][lanes][StoreOrdering.KINDS];
        this.open = new Entry[n];
        this.writesMemory = new boolean[n];
        this.finished = new boolean[n];
        this.writeFenced = new boolean[n];
        this.storedSinceDrain = new boolean[n];
        this.storedKinds = new int[n];
        this.laneCells = new WeakCell[n][lanes];
        this.laneFields = new int[n][lanes];
        this.laneLocations = new int[n];
        this.bufferKeys = new Key[n][lanes];
        this.flushKeys = new Key[n][lanes];
        for (int t = 0; t < n; t++) {
            atMemory.add(new ArrayList<>(2));
            for (int j = 0; j < lanes; j++) {
                queues[t][j] = new ArrayDeque<>();
                bufferKeys[t][j] = new Key(names[t] + "'s store buffer" + (j == 0 ? "" : " " + j));
                flushKeys[t][j] = new Key(flushName(names[t], j));
            }
        }
    }

    /**
     * The name of lane {@code lane}'s flush thread of the thread named {@code owner}: {@code CPU0.sb}
     * for the first (the only one on tso), {@code CPU0.sb1}, {@code CPU0.sb2} for the others.
     */
    static String flushName(String owner, int lane) {
        return owner + ".sb" + (lane == 0 ? "" : Integer.toString(lane));
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
                int kind = StoreOrdering.kind(Primitive.STORE, o);
                if (cell != null && ordering.buffered(kind)) {
                    buffer(me, object, index, cell, field, WeakCell.Merge.REPLACE, kind, function);
                } else {
                    direct(me, object, index, access, o, function, cellArg, field, true);
                }
            }
            case RMW -> {
                WeakCell.Merge merge = cell == null ? null : cell.weakMerge(field);
                boolean noReturn = cell != null && merge != WeakCell.Merge.REPLACE && o != Order.FULL;
                int kind = StoreOrdering.kind(noReturn ? Primitive.RMW_NO_RETURN : Primitive.RMW, o);
                if (noReturn && ordering.buffered(kind)) {
                    // atomic_add(), set_bit() and friends return nothing: the write combines with
                    // memory when it leaves the buffer, so it needs no read now
                    buffer(me, object, index, cell, field, merge, kind, function);
                } else if (cell != null && ordering.buffered(kind)) {
                    direct(me, object, index, access, o, function, cell, field, false);
                    record(me, object, index, cell, field, merge, kind, true, function);
                } else {
                    direct(me, object, index, access, o, function, cellArg, field, true);
                }
            }
            case FREE, RELEASE, IPI -> {
                drain(me, ALL_KINDS, function);
                if (cellArg != null) {
                    // the end of an object's life (or a lock's release) waits until no CPU has a
                    // store to it buffered, so that none lands on it afterwards
                    inner.waitUntil(object, index, access, function, () -> quiet(cellArg, field),
                            "stores to " + describe(object, index) + " in other store buffers to become visible");
                } else {
                    inner.point(object, index, access, o, function);
                }
            }
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
     * An access made to memory at once, after the CPU's own buffer drained. Other CPUs' stores to
     * the same field (or, with field -1, to any field of the cell) may still be buffered: the access
     * reads and writes memory beneath them, and they become visible after it (later in coherence
     * order), as on the hardware. For the duration of the step (until the CPU's next point, see
     * {@link #seal}) such fields hold memory's value for the kernel code to read and write; then
     * memory takes what the code wrote ({@code writesMemory}; a reserved read-modify-write's write
     * went into the buffer instead) and the fields hold the newest value again.
     *
     * <p>The access does not wait for those stores: a wait would be disabled by another CPU
     * buffering a store, a step on that CPU's buffer the partial-order reduction does not see as
     * touching the field, so the reduction would miss the order "this access, then that store
     * buffered" (StoreBufferReductionProperties found it, on tso too).
     */
    private void direct(int me, Object object, int index, Access access, Order order, String function, WeakCell cell,
            int field, boolean writesMemory) {
        drain(me, ALL_KINDS, function);
        inner.point(object, index, access, order, function);
        CellState cs = cell == null ? null : cells.get(cell);
        if (cs == null) {
            return;
        }
        List<Field> fs = atMemory.get(me);
        if (field < 0) {
            fs.addAll(cs.fields.values());
        } else if (cs.fields.containsKey(field)) {
            fs.add(cs.fields.get(field));
        }
        for (Field f : fs) {
            f.cell.setWeakValue(f.index, f.memory);
        }
        this.writesMemory[me] = writesMemory;
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
        } else if (ordering.ordersWrites(barrier) && storedSinceDrain[me]) {
            // smp_wmb() on arm64 (dmb ishst) and power (lwsync): the next store waits (see buffer())
            writeFenced[me] = true;
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

    /**
     * A store into the buffer: a step on the buffer (lane) alone, which only its flush thread reads.
     *
     * <p>Where stores to different locations may leave out of order, a store the model orders after
     * earlier ones first waits, as a drain does, until those are visible: after a write barrier,
     * all of them; before a release store (and whatever else the model orders after some kinds of
     * earlier writes), those kinds. The CPU waits rather than the store (which would be a flush
     * thread waiting for other flush threads' steps on other locations, a wait the partial-order
     * reduction cannot see the reason of); it is stronger than the architectures only for a load
     * after that store, which then cannot pass the stores before the barrier (docs/memory-models.md,
     * "Under the explorer").
     */
    private void buffer(int me, Object object, int index, WeakCell cell, int field, WeakCell.Merge merge, int kind,
            String function) {
        if (writeFenced[me]) {
            drain(me, ALL_KINDS, function);
        } else if (lanes > 1 && (ordering.writeWaits(kind) & storedKinds[me]) != 0) {
            drain(me, ordering.writeWaits(kind), function);
        }
        inner.point(bufferKeys[me][laneFor(me, cell, field)], -1, Access.WRITE,
                function + " (" + describe(object, index) + ")");
        record(me, object, index, cell, field, merge, kind, false, function);
    }

    /**
     * The lane of a location of thread {@code me}: on tso the one FIFO; on arm64 and power the
     * i-th location the thread stored to since its last full drain gets lane i, and the locations
     * after the last lane share it (in order: a bound, like a real store buffer's size, that can
     * only hide reorderings, never add one). The assignment is a function of the thread's own
     * program, never of how far its flush threads have got, so that buffering a store is a step
     * on that lane alone whatever the other threads did.
     */
    private int laneFor(int me, WeakCell cell, int field) {
        int used = laneLocations[me];
        for (int j = 0; j < used; j++) {
            if (laneCells[me][j] == cell && laneFields[me][j] == field) {
                return j;
            }
        }
        if (used < lanes) {
            laneCells[me][used] = cell;
            laneFields[me][used] = field;
            laneLocations[me] = used + 1;
            return used;
        }
        return lanes - 1;
    }

    private void record(int me, Object object, int index, WeakCell cell, int field, WeakCell.Merge merge, int kind,
            boolean reserved, String function) {
        int lane = laneFor(me, cell, field);
        storedSinceDrain[me] = true;
        storedKinds[me] |= 1 << kind;
        CellState cs = cells.computeIfAbsent(cell, k -> new CellState());
        Field f = cs.fields.get(field);
        long held = cell.weakValue(field);
        if (f == null) {
            f = new Field(cs, cell, field, held);
            cs.fields.put(field, f);
        }
        Entry e = new Entry(me, object, index, cell, field, function, kind, lane, merge, reserved, f);
        e.before = held;
        e.after = held;
        if (reserved) {
            // it becomes visible before the other CPUs' stores to the field (they wait for it)
            f.entries.add(0, e);
        } else {
            f.entries.add(e);
        }
        f.contributors |= 1L << me;
        if (reserved) {
            f.reservedBy = me;
        }
        cs.pending++;
        queues[me][lane].addLast(e);
        kinds[me][lane][kind]++;
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
        List<Field> fs = atMemory.get(me);
        if (!fs.isEmpty()) {
            for (Field f : fs) {
                if (writesMemory[me]) {
                    f.memory = f.cell.weakValue(f.index);
                }
                f.cell.setWeakValue(f.index, f.newest());
            }
            fs.clear();
        }
    }

    /**
     * Waits, as {@link Access#FLUSH} steps (one per lane that holds any, in lane order), until the
     * buffer holds no entry of the kinds in {@code mask}. A full drain also starts the thread's
     * lanes afresh: the next location it stores to gets the first lane.
     */
    private void drain(int me, int mask, String function) {
        for (int j = 0; j < lanes; j++) {
            int lane = j;
            if (holds(me, lane, mask)) {
                inner.waitUntil(flushKeys[me][lane], -1, Access.FLUSH, function, () -> !holds(me, lane, mask),
                        names[me] + "'s store buffer to drain");
            }
        }
        if (mask == ALL_KINDS) {
            laneLocations[me] = 0;
            Arrays.fill(laneCells[me], null);
            writeFenced[me] = false;
            storedSinceDrain[me] = false;
            storedKinds[me] = 0;
        }
    }

    private boolean holds(int me, int lane, int mask) {
        int[] k = kinds[me][lane];
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
        for (int j = 0; j < lanes; j++) {
            if (queues[t][j].isEmpty()) {
                inner.point(bufferKeys[t][j], -1, Access.WRITE, "end of program");
            }
        }
        finished[t] = true;
    }

    /**
     * The program of the flush thread of thread {@code t}'s lane {@code lane}: makes the lane's
     * oldest store visible, one step each, until the thread has ended and the lane is empty.
     */
    void flush(int t, int lane) {
        ArrayDeque<Entry> buffer = queues[t][lane];
        while (true) {
            if (buffer.isEmpty()) {
                inner.waitUntil(bufferKeys[t][lane], -1, Access.READ, "store buffer",
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
        queues[t][e.lane].pollFirst();
        kinds[t][e.lane][e.kind]--;
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
