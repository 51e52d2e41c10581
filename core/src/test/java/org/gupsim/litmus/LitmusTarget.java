package org.gupsim.litmus;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.gupsim.explore.ExploreTarget;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.WeakCell;

/**
 * A C litmus test run by the explorer instead of by {@link LitmusRunner}: each thread executes its
 * ops concretely, one scheduling point per access on {@link WeakCell} memory, so that the
 * explorer's store buffers (or sequential consistency) decide what each read returns. The
 * outcome is the final state in the litmus runner's format ({@code 0:r0=0; 1:r0=1; x=1;}), so the
 * two can be compared state by state.
 *
 * <p>Supported: loads, stores, barriers and read-modify-writes on shared locations, branches.
 * Not: locks, RCU, a compare-and-swap that may fail, {@code atomic_add_unless()} (their failing
 * forms are other paths that start with another op); {@link #supports} says.
 */
final class LitmusTarget implements ExploreTarget {

    private static final long ADDRESS = 1L << 40;

    /** Shared memory: each location's value, and which locations count (non-returning atomics only). */
    private record Memory(long[] v, boolean[] counts) implements WeakCell {
        @Override
        public long weakValue(int index) {
            return v[index];
        }

        @Override
        public void setWeakValue(int index, long value) {
            v[index] = value;
        }

        @Override
        public Merge weakMerge(int index) {
            return counts[index] ? Merge.ADD : Merge.REPLACE;
        }

        @Override
        public String toString() {
            return "memory";
        }
    }

    private final LitmusTest test;
    private final List<String> shared;
    private final List<List<ThreadPath>> paths = new ArrayList<>();
    private final List<StateVar> observed;
    /** Locations only non-returning atomics update (atomic_inc() and the like): counts, as the kernel's are. */
    private final boolean[] counts;
    private Sched sched;
    private Memory memory;
    private ThreadPath[] taken;
    private Value[][] reads;

    LitmusTarget(LitmusTest test) {
        this.test = test;
        this.shared = new ArrayList<>(new java.util.TreeSet<>(test.init().keySet()));
        this.observed = test.observed();
        for (ThreadCode t : test.threads()) {
            paths.add(ThreadInterpreter.paths(t, shared, test.registerInit(), LitmusRunner.MAX_PATHS));
        }
        counts = new boolean[shared.size()];
        boolean[] other = new boolean[shared.size()];
        for (List<ThreadPath> ps : paths) {
            for (ThreadPath p : ps) {
                for (Op op : p.ops()) {
                    int loc = op.loc() == null ? -1 : shared.indexOf(op.loc());
                    if (loc >= 0 && op.primitive() == Primitive.RMW_NO_RETURN) {
                        counts[loc] = true;
                    } else if (loc >= 0 && op.write() != null) {
                        other[loc] = true;
                    }
                }
            }
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] &= !other[i];
        }
    }

    /** Whether every path of every thread is made of ops this target runs. */
    boolean supports() {
        for (List<ThreadPath> ps : paths) {
            for (ThreadPath p : ps) {
                for (Op op : p.ops()) {
                    if (op.marker() != Op.Marker.NONE || op.mustRead() != null || op.primitive() == null
                            || op.primitive() == Primitive.SPIN_LOCK || op.primitive() == Primitive.SPIN_UNLOCK) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean same(Op a, Op b) {
        return a.primitive() == b.primitive() && a.order() == b.order() && java.util.Objects.equals(a.loc(), b.loc())
                && a.readId() == b.readId() && java.util.Objects.equals(a.write(), b.write());
    }

    @Override
    public int threads() {
        return paths.size();
    }

    @Override
    public String threadName(int thread) {
        return "P" + thread;
    }

    @Override
    public void setUp(Sched s) {
        this.sched = s;
        long[] v = new long[shared.size()];
        for (int i = 0; i < v.length; i++) {
            Value init = test.init().get(shared.get(i));
            v[i] = init == null ? 0 : encode(init);
        }
        memory = new Memory(v, counts);
        taken = new ThreadPath[paths.size()];
        reads = new Value[paths.size()][];
    }

    @Override
    public void run(int t) {
        List<ThreadPath> candidates = new ArrayList<>(paths.get(t));
        int maxReads = 0;
        for (ThreadPath p : candidates) {
            maxReads = Math.max(maxReads, p.reads());
        }
        Value[] r = new Value[maxReads];
        reads[t] = r;
        int made = 0;
        for (int k = 0; ; k++) {
            final int done = made;
            candidates.removeIf(p -> !possible(p, r, done));
            final int step = k;
            List<ThreadPath> going = candidates.stream().filter(p -> p.ops().size() > step).toList();
            if (going.isEmpty()) {
                taken[t] = candidates.get(0);
                return;
            }
            candidates.removeIf(p -> p.ops().size() <= step);
            Op op = going.get(0).ops().get(k);
            boolean agree = going.stream().allMatch(q -> same(op, q.ops().get(step)));
            if (agree) {
                if (exec(op, r)) {
                    made++;
                }
                continue;
            }
            // A compare-and-swap or atomic_add_unless(): the paths part on what one read returns
            // (succeeded: a read-modify-write; failed: a read). Read as a fully ordered
            // read-modify-write would (at least as strong as either way), then keep the ways
            // that read allows and write if they go on with the write.
            for (ThreadPath q : going) {
                Op other = q.ops().get(k);
                if (!java.util.Objects.equals(other.loc(), op.loc()) || other.readId() != op.readId() || op.readId() < 0) {
                    throw new IllegalStateException("P" + t + " has two ways on at op " + k + " that no read decides");
                }
            }
            int loc = shared.indexOf(op.loc());
            sched.point(memory, loc, Access.RMW, Order.FULL, "cmpxchg");
            r[op.readId()] = decode(sched.load(memory, loc, memory.v()[loc]));
            made++;
            final int now = made;
            candidates.removeIf(p -> !possible(p, r, now));
            Op chosen = candidates.get(0).ops().get(k);
            if (chosen.write() != null) {
                memory.v()[loc] = encode(chosen.write().eval(r));
            }
        }
    }

    /** Whether the path's constraints hold on the reads made so far (those not yet decidable are left open). */
    private static boolean possible(ThreadPath p, Value[] r, int made) {
        for (ThreadPath.Constraint c : p.constraints()) {
            BitSet needs = new BitSet();
            c.cond().reads(needs);
            if (needs.length() > made) {
                continue;
            }
            if (c.cond().eval(r).truthy() != c.want()) {
                return false;
            }
        }
        return true;
    }

    /** Runs one op; returns whether it read. */
    private boolean exec(Op op, Value[] r) {
        Primitive p = op.primitive();
        if (Sched.isBarrier(p)) {
            sched.fence(p, "P" + sched.running());
            return false;
        }
        int loc = shared.indexOf(op.loc());
        switch (p) {
            case LOAD -> {
                sched.point(memory, loc, Access.READ, op.order(), "READ");
                r[op.readId()] = decode(sched.load(memory, loc, memory.v()[loc]));
                return true;
            }
            case STORE, STORE_MB -> {
                sched.point(memory, loc, Access.WRITE, op.order(), "WRITE");
                memory.v()[loc] = encode(op.write().eval(r));
                if (p == Primitive.STORE_MB) {
                    sched.fence(Primitive.MB, "smp_store_mb");
                }
                return false;
            }
            case RMW, RMW_NO_RETURN -> {
                sched.point(memory, loc, Access.RMW, p == Primitive.RMW_NO_RETURN ? Order.RELAXED : op.order(), "RMW");
                r[op.readId()] = decode(sched.load(memory, loc, memory.v()[loc]));
                memory.v()[loc] = encode(op.write().eval(r));
                return true;
            }
            case CMPXCHG_FAILED -> {
                sched.point(memory, loc, Access.RMW, Order.FULL, "cmpxchg");
                r[op.readId()] = decode(sched.load(memory, loc, memory.v()[loc]));
                return true;
            }
            default -> throw new IllegalStateException("unsupported " + p);
        }
    }

    private long encode(Value v) {
        return v.isAddress() ? ADDRESS + shared.indexOf(v.loc()) : v.num();
    }

    private Value decode(long v) {
        return v >= ADDRESS ? Value.addr(shared.get((int) (v - ADDRESS))) : Value.of(v);
    }

    @Override
    public String outcome() {
        StringBuilder sb = new StringBuilder();
        for (StateVar v : observed) {
            Value val;
            if (v.isRegister()) {
                Map<String, Sym> regs = taken[v.thread()].registers();
                Sym s = regs.get(v.name());
                val = s == null ? test.registerInit().getOrDefault(v, Value.of(0)) : s.eval(reads[v.thread()]);
            } else {
                val = decode(memory.v()[shared.indexOf(v.name())]);
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(v).append('=').append(val).append(';');
        }
        return sb.toString();
    }
}
