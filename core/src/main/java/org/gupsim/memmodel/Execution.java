package org.gupsim.memmodel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One candidate execution, as herd7 builds them: events (the initial writes, then each thread's
 * reads, writes and barriers in program order) and the relations between them — program order
 * {@code po}, reads-from {@code rf}, coherence order {@code co} (per location, the initial write
 * first), the read-modify-write pairs {@code rmw}, and the dependencies {@code addr}, {@code data}
 * and {@code ctrl}. A {@link MemoryModel} says whether it is consistent. Derived relations
 * ({@code fr}, the internal/external splits, {@code po-loc}) are computed on first use.
 */
public final class Execution {

    /** What an event does. */
    public enum Kind { READ, WRITE, FENCE }

    /** arm64 {@code A}: a load-acquire ({@code ldar}, the read of {@code ldadda}/{@code casa}/{@code swpa}). */
    public static final int ACQUIRE = 1;
    /** arm64 {@code Q}: a load-acquirePC ({@code ldapr}). */
    public static final int ACQUIRE_PC = 1 << 1;
    /** arm64 {@code L}: a store-release ({@code stlr}, the write of {@code ldaddl}/{@code casl}/{@code swpl}). */
    public static final int RELEASE = 1 << 2;
    /** x86 {@code lock}-prefixed (and implicitly locked {@code xchg}) accesses: herd's x86 {@code A} set. */
    public static final int LOCKED = 1 << 3;
    /** The read of a non-returning atomic (arm64 {@code stadd}): aarch64.cat's {@code NoRet}. */
    public static final int NO_RET = 1 << 4;
    /** powerpc load-reserve / store-conditional ({@code lwarx}/{@code stwcx.}): ppc.cat's {@code EX}. */
    public static final int EXCLUSIVE = 1 << 5;
    /** An initial write. */
    public static final int INIT = 1 << 6;

    private final int n;
    private final int[] thread;
    private final Kind[] kind;
    private final int[] loc;
    private final int[] flags;
    private final Barrier[] barrier;
    private final Relation po;
    private final Relation rf;
    private final Relation co;
    private final Relation rmw;
    private final Relation addr;
    private final Relation data;
    private final Relation ctrl;

    private Relation fr;
    private Relation ext;
    private Relation poLoc;

    private Execution(Builder b) {
        n = b.kinds.size();
        thread = b.threads.stream().mapToInt(Integer::intValue).toArray();
        kind = b.kinds.toArray(Kind[]::new);
        loc = b.locs.stream().mapToInt(Integer::intValue).toArray();
        flags = b.flagList.stream().mapToInt(Integer::intValue).toArray();
        barrier = b.barriers.toArray(Barrier[]::new);
        po = Relation.empty(n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (thread[i] >= 0 && thread[i] == thread[j]) {
                    po.set(i, j);
                }
            }
        }
        rf = pairs(b.rf);
        rmw = pairs(b.rmw);
        addr = pairs(b.addr);
        data = pairs(b.data);
        ctrl = pairs(b.ctrl);
        co = Relation.empty(n);
        for (List<Integer> order : b.coOrders) {
            for (int i = 0; i < order.size(); i++) {
                for (int j = i + 1; j < order.size(); j++) {
                    co.set(order.get(i), order.get(j));
                }
            }
        }
    }

    private Relation pairs(List<int[]> list) {
        Relation r = Relation.empty(n);
        for (int[] p : list) {
            r.set(p[0], p[1]);
        }
        return r;
    }

    /** The number of events. */
    public int size() {
        return n;
    }

    /** The thread of event {@code e}; -1 for an initial write. */
    public int thread(int e) {
        return thread[e];
    }

    public Kind kind(int e) {
        return kind[e];
    }

    /** The location of a read or write (an index the builder's user chose); -1 for a barrier. */
    public int loc(int e) {
        return loc[e];
    }

    public int flags(int e) {
        return flags[e];
    }

    /** The barrier of a {@link Kind#FENCE}, null otherwise. */
    public Barrier barrier(int e) {
        return barrier[e];
    }

    public Relation po() {
        return po;
    }

    public Relation rf() {
        return rf;
    }

    public Relation co() {
        return co;
    }

    public Relation rmw() {
        return rmw;
    }

    public Relation addr() {
        return addr;
    }

    public Relation data() {
        return data;
    }

    public Relation ctrl() {
        return ctrl;
    }

    /** {@code fr = rf^-1 ; co}: a read is from-read-before every write coherence-after the one it read. */
    public Relation fr() {
        if (fr == null) {
            fr = rf.inverse().seq(co);
        }
        return fr;
    }

    /** Pairs of events of different threads; an initial write is external to every thread. */
    public Relation ext() {
        if (ext == null) {
            ext = Relation.empty(n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j && (thread[i] != thread[j] || thread[i] < 0)) {
                        ext.set(i, j);
                    }
                }
            }
        }
        return ext;
    }

    /** Pairs of events of the same thread (and each event with itself). */
    public Relation internal() {
        return Relation.cross(n, all(), all()).minus(ext());
    }

    /** {@code po-loc}: program order between accesses to the same location. */
    public Relation poLoc() {
        if (poLoc == null) {
            poLoc = Relation.empty(n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (po.has(i, j) && loc[i] >= 0 && loc[i] == loc[j]) {
                        poLoc.set(i, j);
                    }
                }
            }
        }
        return poLoc;
    }

    /** Every event. */
    public BitSet all() {
        BitSet s = new BitSet(n);
        s.set(0, n);
        return s;
    }

    /** The events of one kind. */
    public BitSet ofKind(Kind k) {
        BitSet s = new BitSet(n);
        for (int i = 0; i < n; i++) {
            if (kind[i] == k) {
                s.set(i);
            }
        }
        return s;
    }

    /** {@code R}. */
    public BitSet reads() {
        return ofKind(Kind.READ);
    }

    /** {@code W}, initial writes included. */
    public BitSet writes() {
        return ofKind(Kind.WRITE);
    }

    /** {@code M}: reads and writes. */
    public BitSet memory() {
        BitSet s = reads();
        s.or(writes());
        return s;
    }

    /** The events carrying all of {@code flag}. */
    public BitSet withFlag(int flag) {
        BitSet s = new BitSet(n);
        for (int i = 0; i < n; i++) {
            if ((flags[i] & flag) == flag) {
                s.set(i);
            }
        }
        return s;
    }

    /** The barrier events of one kind. */
    public BitSet fences(Barrier b) {
        BitSet s = new BitSet(n);
        for (int i = 0; i < n; i++) {
            if (barrier[i] == b) {
                s.set(i);
            }
        }
        return s;
    }

    /**
     * herd's {@code fencerel(B)} restricted to memory accesses: pairs of accesses with a barrier
     * {@code b} between them in program order. (Restricting the ends to accesses keeps a pair
     * from being ordered through the barrier event itself, e.g. a write before a later read
     * through an {@code lwsync} that must not order that pair.)
     */
    public Relation fenced(Barrier b) {
        Relation f = Relation.identity(n, fences(b));
        return po.seq(f).seq(po).restrict(memory(), memory());
    }

    /** {@code a | b}, as a new set. */
    public static BitSet union(BitSet a, BitSet b) {
        BitSet s = (BitSet) a.clone();
        s.or(b);
        return s;
    }

    /** {@code a \ b}. */
    public static BitSet minus(BitSet a, BitSet b) {
        BitSet s = (BitSet) a.clone();
        s.andNot(b);
        return s;
    }

    /** Builds an execution event by event. Events of one thread must be added in program order. */
    public static final class Builder {
        private final List<Integer> threads = new ArrayList<>();
        private final List<Kind> kinds = new ArrayList<>();
        private final List<Integer> locs = new ArrayList<>();
        private final List<Integer> flagList = new ArrayList<>();
        private final List<Barrier> barriers = new ArrayList<>();
        private final List<int[]> rf = new ArrayList<>();
        private final List<int[]> rmw = new ArrayList<>();
        private final List<int[]> addr = new ArrayList<>();
        private final List<int[]> data = new ArrayList<>();
        private final List<int[]> ctrl = new ArrayList<>();
        private final List<List<Integer>> coOrders = new ArrayList<>();

        private int add(int thread, Kind k, int loc, int flags, Barrier b) {
            threads.add(thread);
            kinds.add(k);
            locs.add(loc);
            flagList.add(flags);
            barriers.add(b);
            return kinds.size() - 1;
        }

        /** Adds the initial write of {@code loc}. */
        public int init(int loc) {
            return add(-1, Kind.WRITE, loc, INIT, null);
        }

        /** Adds one compiled instruction of {@code thread}; {@code loc} is ignored for a barrier. */
        public int instr(int thread, Instr i, int loc) {
            if (thread < 0) {
                throw new IllegalArgumentException("thread must be >= 0, was " + thread);
            }
            return add(thread, i.kind(), i.kind() == Kind.FENCE ? -1 : loc, i.flags(), i.barrier());
        }

        /** The number of events so far. */
        public int size() {
            return kinds.size();
        }

        public Builder rf(int write, int read) {
            rf.add(new int[] {write, read});
            return this;
        }

        public Builder rmw(int read, int write) {
            rmw.add(new int[] {read, write});
            return this;
        }

        public Builder addr(int read, int e) {
            addr.add(new int[] {read, e});
            return this;
        }

        public Builder data(int read, int e) {
            data.add(new int[] {read, e});
            return this;
        }

        public Builder ctrl(int read, int e) {
            ctrl.add(new int[] {read, e});
            return this;
        }

        /** The coherence order of one location: its writes, initial write first. */
        public Builder co(List<Integer> writesInOrder) {
            coOrders.add(List.copyOf(writesInOrder));
            return this;
        }

        public Execution build() {
            return new Execution(this);
        }
    }
}
