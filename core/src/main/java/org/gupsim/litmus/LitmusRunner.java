package org.gupsim.litmus;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gupsim.memmodel.Execution;
import org.gupsim.memmodel.Instr;
import org.gupsim.memmodel.Lowered;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;

/**
 * Runs a litmus test under a memory model the way herd7 does: every candidate execution of the
 * compiled program — a path through each thread, a write for every read to read from, a
 * coherence order per location — is built and judged by the model; the final states of those it
 * allows are collected. Exhaustive: nothing is sampled.
 *
 * <p>Each thread is first run symbolically ({@link ThreadInterpreter}), so its paths are known
 * before any value is; a candidate's values are then solved from its reads-from choice. A choice
 * whose values depend on themselves (a write of the value a read gets from that same write, out
 * of thin air) is dropped: its dependencies and reads-from form a cycle, which every model here
 * forbids anyway (sc by {@code po|rf}, tso by {@code ppo|rfe} with uniproc, arm64 by {@code ob},
 * power by {@code hb}).
 *
 * <p>RCU is modelled by its implementation rather than by an axiom: {@code synchronize_rcu()} is a
 * full barrier, then a handshake with every other thread that has read-side critical sections —
 * it sets a flag the thread sees at a quiescent state (any point outside its critical sections,
 * each point tried), where the thread executes a full barrier and sets a flag the grace period
 * waits for — then a full barrier. That is how Tree RCU's grace period orders itself against
 * readers (quiescent states reported through full barriers), and the architecture's own model then
 * says what the handshake guarantees. Threads without critical sections take no part, as in the
 * kernel's memory model, which constrains critical sections only. The handshake's accesses are
 * hidden: not in states, not counted.
 */
public final class LitmusRunner {
    /**
     * The most work one run does, counted as candidate executions (each reads-from choice, each
     * coherence order) times the square of their number of events (judging one costs about
     * that), plus one for each partial reads-from choice. The classic shapes of up to four
     * threads need under 200,000 (a few hundred candidates of about 20 events); a test past the
     * limit would run for hours or longer (candidates grow as a product over reads and a factorial
     * over writes), so it is refused as too large rather than left to hang: eight threads of four
     * accesses each reach it in seconds. It is a count, not a time: the same test is refused on
     * every machine.
     */
    public static final long MAX_WORK = 20_000_000;
    /** The most paths through one thread (each {@code if} on a read value can double them). */
    public static final int MAX_PATHS = 4096;

    private final LitmusTest test;
    private final MemoryModel model;
    private final List<String> shared;
    private final List<List<ThreadPath>> paths = new ArrayList<>();
    private final List<StateVar> observed;
    private final Map<String, Map<StateVar, Value>> outcomes = new TreeMap<>();
    private final Map<String, Boolean> filtered = new TreeMap<>();
    private long work;

    private LitmusRunner(LitmusTest test, MemoryModel model) {
        this.test = test;
        this.model = model;
        this.shared = new ArrayList<>(new TreeSet<>(test.init().keySet()));
        this.observed = test.observed();
        for (ThreadCode t : test.threads()) {
            paths.add(ThreadInterpreter.paths(t, shared, test.registerInit(), MAX_PATHS));
        }
    }

    /**
     * Runs {@code test} under {@code model}.
     *
     * @throws LitmusSyntaxException when a thread uses something that cannot be run (an unknown
     *         primitive, a dereference of a non-address), with its line
     * @throws LitmusLimitException when the test is too large to run exhaustively: more work than
     *         {@link #MAX_WORK} (candidate executions times events squared) or more than
     *         {@link #MAX_PATHS} paths through a thread, or values nested too deeply to evaluate
     */
    public static LitmusResult run(LitmusTest test, MemoryModel model) {
        if (test == null || model == null) {
            throw new IllegalArgumentException("test and model must not be null");
        }
        try {
            LitmusRunner r = new LitmusRunner(test, model);
            r.combinations();
            return r.result();
        } catch (StackOverflowError e) {
            // A value built by a long chain of assignments (r = r + 1; thousands of times) is a
            // term as deep as the chain, and evaluating it recurses as deep.
            throw new LitmusLimitException("its values nest too deeply to evaluate (a chain of thousands of "
                    + "assignments that each use the one before)");
        }
    }

    /**
     * Counts {@code units} more work on candidate executions of {@code events} events; past
     * {@link #MAX_WORK} the test is refused.
     */
    private void work(long units, int events) {
        work += units;
        if (work > MAX_WORK) {
            throw new LitmusLimitException(test.threads().size() + " threads with " + events + " events have more "
                    + "than " + MAX_WORK / ((long) events * events) + " candidate executions under " + model.name());
        }
    }

    private LitmusResult result() {
        long pos = 0;
        long neg = 0;
        TreeSet<Map<StateVar, Value>> states = new TreeSet<>(stateOrder());
        for (Map.Entry<String, Map<StateVar, Value>> e : outcomes.entrySet()) {
            if (!filtered.get(e.getKey())) {
                continue;
            }
            Map<StateVar, Value> full = e.getValue();
            if (test.condition().holds(full)) {
                pos++;
            } else {
                neg++;
            }
            Map<StateVar, Value> shown = new LinkedHashMap<>();
            for (StateVar v : observed) {
                shown.put(v, full.get(v));
            }
            states.add(shown);
        }
        return new LitmusResult(test.name(), model.name(), test.quantifier(), test.conditionText(), observed,
                new ArrayList<>(states), pos, neg);
    }

    private Comparator<Map<StateVar, Value>> stateOrder() {
        return (a, b) -> {
            for (StateVar v : observed) {
                int c = a.get(v).compareTo(b.get(v));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    // ---- paths, then RCU handshake placements

    private void combinations() {
        int threads = paths.size();
        int[] pick = new int[threads];
        while (true) {
            placements(pick.clone());
            int t = threads - 1;
            while (t >= 0 && ++pick[t] == paths.get(t).size()) {
                pick[t] = 0;
                t--;
            }
            if (t < 0) {
                return;
            }
        }
    }

    /** One synchronize_rcu() and a thread it shakes hands with. */
    private record Handshake(int sync, int gpThread, int reader, List<Integer> positions) {
    }

    private void placements(int[] pick) {
        List<ThreadPath> chosen = new ArrayList<>();
        for (int t = 0; t < pick.length; t++) {
            chosen.add(paths.get(t).get(pick[t]));
        }
        List<Handshake> shakes = new ArrayList<>();
        int sync = 0;
        for (int g = 0; g < chosen.size(); g++) {
            for (Op op : chosen.get(g).ops()) {
                if (op.marker() != Op.Marker.SYNC_RCU) {
                    continue;
                }
                for (int t = 0; t < chosen.size(); t++) {
                    if (t != g && hasReader(chosen.get(t))) {
                        shakes.add(new Handshake(sync, g, t, quiescentPoints(chosen.get(t))));
                    }
                }
                sync++;
            }
        }
        int[] at = new int[shakes.size()];
        while (true) {
            explore(pick, chosen, shakes, at);
            int k = shakes.size() - 1;
            while (k >= 0 && ++at[k] == shakes.get(k).positions().size()) {
                at[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }

    private static boolean hasReader(ThreadPath p) {
        return p.ops().stream().anyMatch(o -> o.marker() == Op.Marker.RCU_LOCK);
    }

    /** Where a thread may pass a quiescent state: before any op, outside read-side critical sections. */
    private static List<Integer> quiescentPoints(ThreadPath p) {
        List<Integer> out = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i <= p.ops().size(); i++) {
            if (depth == 0) {
                out.add(i);
            }
            if (i < p.ops().size()) {
                Op o = p.ops().get(i);
                if (o.marker() == Op.Marker.RCU_LOCK) {
                    depth++;
                } else if (o.marker() == Op.Marker.RCU_UNLOCK) {
                    depth = Math.max(0, depth - 1);
                }
            }
        }
        return out;
    }

    private static String gpFlag(int sync, int reader) {
        return "#gp" + sync + ">" + reader;
    }

    private static String qsFlag(int sync, int reader) {
        return "#qs" + sync + ">" + reader;
    }

    /** An op of a thread as run: its path index, or -1 for the handshake's own accesses. */
    private record Step(Op op, int pathIndex) {
    }

    private void explore(int[] pick, List<ThreadPath> chosen, List<Handshake> shakes, int[] at) {
        List<List<Step>> steps = new ArrayList<>();
        int[] readCount = new int[chosen.size()];
        for (int t = 0; t < chosen.size(); t++) {
            readCount[t] = chosen.get(t).reads();
        }
        TreeSet<String> hidden = new TreeSet<>();
        for (int t = 0; t < chosen.size(); t++) {
            List<Step> s = new ArrayList<>();
            List<Op> ops = chosen.get(t).ops();
            int sync = -1;
            for (int g = 0; g < t; g++) {
                sync += (int) chosen.get(g).ops().stream().filter(o -> o.marker() == Op.Marker.SYNC_RCU).count();
            }
            for (int i = 0; i <= ops.size(); i++) {
                for (int k = 0; k < shakes.size(); k++) {
                    Handshake h = shakes.get(k);
                    if (h.reader() == t && h.positions().get(at[k]) == i) {
                        // the reader's quiescent state: see the grace period, full barrier, report
                        s.add(new Step(handshakeLoad(gpFlag(h.sync(), t), readCount[t]++), -1));
                        s.add(new Step(Op.fence(Primitive.MB, new BitSet(), 0), -1));
                        s.add(new Step(handshakeStore(qsFlag(h.sync(), t)), -1));
                        hidden.add(gpFlag(h.sync(), t));
                        hidden.add(qsFlag(h.sync(), t));
                    }
                }
                if (i == ops.size()) {
                    break;
                }
                Op op = ops.get(i);
                if (op.marker() == Op.Marker.SYNC_RCU) {
                    sync++;
                    s.add(new Step(Op.fence(Primitive.MB, new BitSet(), op.line()), -1));
                    for (Handshake h : shakes) {
                        if (h.sync() == sync) {
                            s.add(new Step(handshakeStore(gpFlag(sync, h.reader())), -1));
                        }
                    }
                    for (Handshake h : shakes) {
                        if (h.sync() == sync) {
                            s.add(new Step(handshakeLoad(qsFlag(sync, h.reader()), readCount[t]++), -1));
                        }
                    }
                    s.add(new Step(Op.fence(Primitive.MB, new BitSet(), op.line()), -1));
                } else if (op.marker() == Op.Marker.NONE) {
                    s.add(new Step(op, i));
                }
            }
            steps.add(s);
        }
        new Candidates(pick, chosen, steps, readCount, hidden).run();
    }

    private static Op handshakeLoad(String flag, int id) {
        return new Op(Primitive.LOAD, Order.RELAXED, Op.Marker.NONE, flag, id, null, Value.of(1), new BitSet(),
                new BitSet(), new BitSet(), 0);
    }

    private static Op handshakeStore(String flag) {
        return new Op(Primitive.STORE, Order.RELAXED, Op.Marker.NONE, flag, -1, new Sym.Const(Value.of(1)), null,
                new BitSet(), new BitSet(), new BitSet(), 0);
    }

    // ---- one program: its events, then every reads-from and coherence choice

    private final class Candidates {
        private final int[] pick;
        private final List<ThreadPath> chosen;
        private final int[] readCount;
        private final List<String> locs;
        private final java.util.Set<String> hidden;
        private final List<Integer> evThread = new ArrayList<>();
        private final List<Instr> evInstr = new ArrayList<>();
        private final List<Integer> evLoc = new ArrayList<>();
        private final List<Op> evOp = new ArrayList<>();
        private final List<String> evLabel = new ArrayList<>();
        private final List<int[]> rmw = new ArrayList<>();
        private final List<int[]> addr = new ArrayList<>();
        private final List<int[]> data = new ArrayList<>();
        private final List<int[]> ctrl = new ArrayList<>();
        private final int[][] readEvent;
        private final List<Integer> reads = new ArrayList<>();
        private final List<List<Integer>> writesOf = new ArrayList<>();
        private int[] rf;
        private Value[][] vals;
        private Value[] written;

        Candidates(int[] pick, List<ThreadPath> chosen, List<List<Step>> steps, int[] readCount,
                java.util.Set<String> hidden) {
            this.pick = pick;
            this.chosen = chosen;
            this.readCount = readCount;
            this.hidden = hidden;
            TreeSet<String> all = new TreeSet<>(shared);
            all.addAll(hidden);
            this.locs = new ArrayList<>(all);
            for (int l = 0; l < locs.size(); l++) {
                writesOf.add(new ArrayList<>());
                add(-1, Instr.write(Execution.INIT), l, null, hidden.contains(locs.get(l)) ? null : "init:" + locs.get(l));
                writesOf.get(l).add(l);
            }
            readEvent = new int[steps.size()][];
            for (int t = 0; t < steps.size(); t++) {
                readEvent[t] = new int[readCount[t]];
                java.util.Arrays.fill(readEvent[t], -1);
                lowerThread(t, steps.get(t));
            }
        }

        private int add(int thread, Instr i, int loc, Op op, String label) {
            evThread.add(thread);
            evInstr.add(i);
            evLoc.add(loc);
            evOp.add(op);
            evLabel.add(label);
            return evThread.size() - 1;
        }

        private void lowerThread(int t, List<Step> steps) {
            List<Integer> branchedOn = new ArrayList<>();
            for (Step s : steps) {
                Op op = s.op();
                Lowered low = model.lowering().lower(op.primitive(), op.order());
                int loc = op.loc() == null ? -1 : locs.indexOf(op.loc());
                int readEv = -1;
                int writeEv = -1;
                List<Integer> events = new ArrayList<>();
                int k = 0;
                for (Instr in : low.instrs()) {
                    String label = s.pathIndex() < 0 ? null : t + ":" + s.pathIndex() + ":" + k;
                    int e = add(t, in, loc, op, label);
                    k++;
                    events.add(e);
                    if (in.kind() == Execution.Kind.READ) {
                        readEv = e;
                        reads.add(e);
                        if (op.readId() >= 0) {
                            readEvent[t][op.readId()] = e;
                        }
                    } else if (in.kind() == Execution.Kind.WRITE) {
                        writeEv = e;
                        writesOf.get(loc).add(e);
                    }
                }
                if (op.readId() >= 0 && readEv < 0) {
                    throw new IllegalStateException(model.name() + " compiles " + op.primitive() + " without a read");
                }
                if (writeEv >= 0 && op.write() == null) {
                    throw new IllegalStateException(model.name() + " compiles " + op.primitive() + " with a write");
                }
                if (op.write() != null && writeEv < 0) {
                    throw new IllegalStateException(model.name() + " compiles " + op.primitive() + " without a write");
                }
                if (readEv >= 0 && writeEv >= 0) {
                    rmw.add(new int[] {readEv, writeEv});
                }
                for (int id = op.addrDeps().nextSetBit(0); id >= 0; id = op.addrDeps().nextSetBit(id + 1)) {
                    for (int e : new int[] {readEv, writeEv}) {
                        if (e >= 0) {
                            addr.add(new int[] {readEvent[t][id], e});
                        }
                    }
                }
                if (writeEv >= 0) {
                    for (int id = op.dataDeps().nextSetBit(0); id >= 0; id = op.dataDeps().nextSetBit(id + 1)) {
                        data.add(new int[] {readEvent[t][id], writeEv});
                    }
                }
                for (int e : events) {
                    for (int id = op.ctrlDeps().nextSetBit(0); id >= 0; id = op.ctrlDeps().nextSetBit(id + 1)) {
                        ctrl.add(new int[] {readEvent[t][id], e});
                    }
                    for (int r : branchedOn) {
                        ctrl.add(new int[] {r, e});
                    }
                    if (low.branchesOnRead() && readEv >= 0 && e > readEv) {
                        ctrl.add(new int[] {readEv, e});
                    }
                }
                if (low.branchesOnRead() && readEv >= 0) {
                    branchedOn.add(readEv);
                }
            }
        }

        private Value initValue(int loc) {
            Value v = test.init().get(locs.get(loc));
            return v != null ? v : Value.of(0);
        }

        void run() {
            rf = new int[evThread.size()];
            chooseRf(0);
        }

        private void chooseRf(int k) {
            int events = evThread.size();
            if (k == reads.size()) {
                work((long) events * events, events);
                if (solve()) {
                    int[][] co = new int[locs.size()][];
                    chooseCo(0, co);
                }
                return;
            }
            work(1, events);
            int r = reads.get(k);
            Op op = evOp.get(r);
            for (int w : writesOf.get(evLoc.get(r))) {
                if (evThread.get(w).equals(evThread.get(r)) && w > r) {
                    continue; // a read never reads its own thread's later write (coherence, every model)
                }
                if (op.mustRead() != null) {
                    Value v = evOp.get(w) == null ? initValue(evLoc.get(w))
                            : evOp.get(w).write().constant() ? evOp.get(w).write().eval(new Value[0]) : null;
                    if (v != null && !v.equals(op.mustRead())) {
                        continue;
                    }
                }
                rf[r] = w;
                chooseRf(k + 1);
            }
        }

        /** Fixes every value from the reads-from choice; false if impossible or out of thin air. */
        private boolean solve() {
            vals = new Value[readCount.length][];
            for (int t = 0; t < readCount.length; t++) {
                vals[t] = new Value[readCount[t]];
            }
            written = new Value[evThread.size()];
            int[] state = new int[evThread.size()];
            try {
                for (int r : reads) {
                    solveRead(r, state);
                }
                for (int e = 0; e < evThread.size(); e++) {
                    if (evInstr.get(e).kind() == Execution.Kind.WRITE) {
                        writeValue(e, state);
                    }
                }
                for (int t = 0; t < chosen.size(); t++) {
                    for (ThreadPath.Constraint c : chosen.get(t).constraints()) {
                        if (c.cond().eval(vals[t]).truthy() != c.want()) {
                            return false;
                        }
                    }
                }
            } catch (Sym.Undefined | ThinAir u) {
                return false;
            }
            for (int r : reads) {
                Op op = evOp.get(r);
                if (op.mustRead() != null && !op.mustRead().equals(vals[evThread.get(r)][op.readId()])) {
                    return false;
                }
            }
            return true;
        }

        private static final class ThinAir extends RuntimeException {
            private static final long serialVersionUID = 1L;

            ThinAir() {
                super(null, null, false, false);
            }
        }

        private void solveRead(int r, int[] state) {
            Op op = evOp.get(r);
            if (op.readId() < 0) {
                return;
            }
            int t = evThread.get(r);
            if (vals[t][op.readId()] != null) {
                return;
            }
            if (state[r] == 1) {
                throw new ThinAir();
            }
            state[r] = 1;
            vals[t][op.readId()] = writeValue(rf[r], state);
            state[r] = 2;
        }

        private Value writeValue(int w, int[] state) {
            if (written[w] != null) {
                return written[w];
            }
            Op op = evOp.get(w);
            Value v;
            if (op == null) {
                v = initValue(evLoc.get(w));
            } else {
                int t = evThread.get(w);
                BitSet deps = new BitSet();
                op.write().reads(deps);
                for (int id = deps.nextSetBit(0); id >= 0; id = deps.nextSetBit(id + 1)) {
                    solveRead(readEvent[t][id], state);
                }
                v = op.write().eval(vals[t]);
            }
            written[w] = v;
            return v;
        }

        private void chooseCo(int loc, int[][] co) {
            if (loc == locs.size()) {
                judge(co);
                return;
            }
            List<Integer> ws = writesOf.get(loc);
            permute(ws.subList(1, ws.size()).stream().mapToInt(Integer::intValue).toArray(), 0, ws.get(0), loc, co);
        }

        private void permute(int[] rest, int k, int init, int loc, int[][] co) {
            if (k == rest.length) {
                work((long) evThread.size() * evThread.size(), evThread.size());
                int[] order = new int[rest.length + 1];
                order[0] = init;
                System.arraycopy(rest, 0, order, 1, rest.length);
                if (coherent(order)) {
                    co[loc] = order;
                    chooseCo(loc + 1, co);
                }
                return;
            }
            for (int i = k; i < rest.length; i++) {
                swap(rest, k, i);
                permute(rest, k + 1, init, loc, co);
                swap(rest, k, i);
            }
        }

        /**
         * Cheap checks every model makes anyway, done before building the execution: one thread's
         * writes to a location are coherence-ordered as in program order (CoWW), and nothing
         * external writes between the write a read-modify-write read and its own write (atomic).
         */
        private boolean coherent(int[] order) {
            int[] at = new int[evThread.size()];
            for (int i = 0; i < order.length; i++) {
                at[order[i]] = i;
            }
            for (int i = 1; i < order.length; i++) {
                for (int j = i + 1; j < order.length; j++) {
                    if (evThread.get(order[i]).equals(evThread.get(order[j])) && order[i] > order[j]) {
                        return false;
                    }
                }
            }
            for (int[] p : rmw) {
                int w = p[1];
                if (!evLoc.get(w).equals(evLoc.get(order[0]))) {
                    continue;
                }
                int src = rf[p[0]];
                if (at[src] >= at[w]) {
                    return false;
                }
                for (int k = at[src] + 1; k < at[w]; k++) {
                    if (!evThread.get(order[k]).equals(evThread.get(w))) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static void swap(int[] a, int i, int j) {
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }

        private void judge(int[][] co) {
            Execution.Builder b = new Execution.Builder();
            for (int e = 0; e < evThread.size(); e++) {
                if (evThread.get(e) < 0) {
                    b.init(evLoc.get(e));
                } else {
                    b.instr(evThread.get(e), evInstr.get(e), evLoc.get(e));
                }
            }
            for (int r : reads) {
                b.rf(rf[r], r);
            }
            for (int[] order : co) {
                b.co(java.util.Arrays.stream(order).boxed().toList());
            }
            rmw.forEach(p -> b.rmw(p[0], p[1]));
            addr.forEach(p -> b.addr(p[0], p[1]));
            data.forEach(p -> b.data(p[0], p[1]));
            ctrl.forEach(p -> b.ctrl(p[0], p[1]));
            if (!model.consistent(b.build())) {
                return;
            }
            Map<StateVar, Value> state = new LinkedHashMap<>();
            try {
                for (int t = 0; t < chosen.size(); t++) {
                    for (Map.Entry<String, Sym> reg : chosen.get(t).registers().entrySet()) {
                        state.put(new StateVar(t, reg.getKey()), reg.getValue().eval(vals[t]));
                    }
                }
            } catch (Sym.Undefined u) {
                return;
            }
            for (StateVar v : observed) {
                if (v.isRegister() && !state.containsKey(v)) {
                    Value init = test.registerInit().get(v);
                    state.put(v, init != null ? init : Value.of(0));
                }
            }
            for (int l = 0; l < locs.size(); l++) {
                if (!hidden.contains(locs.get(l))) {
                    state.put(new StateVar(-1, locs.get(l)), written[co[l][co[l].length - 1]]);
                }
            }
            String key = key(co);
            outcomes.putIfAbsent(key, state);
            filtered.putIfAbsent(key, test.filter() == null || test.filter().holds(state));
        }

        /** The execution up to the handshake's hidden accesses: paths, reads-from and coherence of the test's own events. */
        private String key(int[][] co) {
            StringBuilder sb = new StringBuilder(java.util.Arrays.toString(pick));
            for (int r : reads) {
                if (evLabel.get(r) != null) {
                    sb.append(' ').append(evLabel.get(r)).append("<-").append(evLabel.get(rf[r]));
                }
            }
            for (int l = 0; l < locs.size(); l++) {
                if (!hidden.contains(locs.get(l))) {
                    sb.append(" |");
                    for (int w : co[l]) {
                        sb.append(' ').append(evLabel.get(w));
                    }
                }
            }
            return sb.toString();
        }
    }
}
