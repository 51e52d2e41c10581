package org.gupsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedHook;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.SchedLock;
import org.gupsim.sched.StepMeaning;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * Runs executions of one {@link ExploreTarget}: one virtual thread per target thread, exactly one
 * of them (or the controller, the caller of {@link #execute}) holding the baton at a time.
 *
 * <p>Hand-off: the holder writes the volatile {@link #turn} and unparks the receiver, which parks
 * until {@code turn} names it; the volatile write and read order everything the giver did before
 * everything the receiver does next. Decisions are made on the thread reaching a point, so one
 * step costs one hand-off. Threads and arrays are reused across executions; with no keys or
 * trace requested (random walk, PCT) a point allocates nothing.
 *
 * <p>An execution: {@link ExploreTarget#setUp} on the controller, then start-up (each thread in
 * index order runs to its first point), then decisions until every thread has finished, none
 * can run (deadlock), the step budget is used up (cut off), a violation is reported, the chooser
 * abandons the execution (pruned) or a program throws. Threads still inside their program are
 * then unwound one by one with {@link Abort}.
 */
final class Runner implements SchedHook, AutoCloseable {

    /** How an execution ended. */
    enum End {
        COMPLETE, VIOLATION, DEADLOCK,
        /** The step budget ran out with threads unfinished: no verdict, the execution was cut off. */
        OUT_OF_BUDGET,
        PRUNED, FAILED
    }

    /** Unwinds a program thread whose execution is over. Model code must not catch it. */
    static final class Abort extends Error {
        private static final long serialVersionUID = 1L;

        Abort() {
            super("gupsim explorer: execution over", null, false, false);
        }
    }

    private static final Abort ABORT = new Abort();

    private final ExploreTarget target;
    private final int n;
    private int budget;
    private final ExploredThread[] threads;
    /** The workers' virtual threads, then the controller at index {@code n}: who may hold the baton. */
    private final Thread[] carriers;
    private volatile int turn = -1;
    private boolean started;
    private boolean shutdown;
    private boolean aborting;
    private boolean inBeforePoint;

    /** An object's stable key and its number in {@link #keyIds}. */
    private record Key(String name, int id) {
    }

    /** The keys of this execution's objects (the objects are new in every execution). */
    private final IdentityHashMap<Object, Key> keys = new IdentityHashMap<>();
    private final KeyIds keyIds;
    /** The object {@link #key} answered last, and its key; cleared with {@link #keys}. */
    private Object lastKeyed;
    private Key lastKey;

    // the current execution
    private Sched sched;
    private Chooser chooser;
    private boolean recordKeys;
    private List<TraceRow> rows;
    private int starting;
    private int current;
    private int previous;
    private int steps;
    private int[] choices = new int[256];
    private End end;
    private Violation violation;
    private String cutOff;
    private int violationStep;
    private Throwable failure;
    private int failureThread;
    private RuntimeException chooserError;
    private String outcome;

    Runner(ExploreTarget target, int budget) {
        this(target, budget, new KeyIds());
    }

    /** A runner whose steps number their keys in {@code keyIds}, shared with the exploration's other runners. */
    Runner(ExploreTarget target, int budget, KeyIds keyIds) {
        this.target = target;
        this.keyIds = keyIds;
        this.n = target.threads();
        this.budget = budget;
        this.threads = new ExploredThread[n];
        this.carriers = new Thread[n + 1];
        for (int t = 0; t < n; t++) {
            String name = target.threadName(t);
            final int me = t;
            carriers[t] = Thread.ofVirtual().name("gupsim-" + name).unstarted(() -> work(me));
            threads[t] = new ExploredThread(t, name);
        }
    }

    /**
     * Runs one execution to its end, choosing with {@code c}; {@code keys} computes stable keys
     * for {@link #stepInfo}, {@code trace} records {@link #rows()}.
     */
    void execute(Chooser c, boolean keys, boolean trace) {
        chooser = c;
        recordKeys = keys || trace;
        rows = trace ? new ArrayList<>() : null;
        for (ExploredThread t : threads) {
            t.reset();
        }
        this.keys.clear();
        lastKeyed = null;
        lastKey = null;
        steps = 0;
        previous = -1;
        current = -1;
        end = null;
        violation = null;
        cutOff = null;
        violationStep = 0;
        failure = null;
        chooserError = null;
        outcome = null;
        inBeforePoint = false;
        sched = new Sched();
        target.setUp(sched);
        sched.attach(this);
        carriers[n] = Thread.currentThread();
        if (!started) {
            started = true;
            for (int t = 0; t < n; t++) {
                carriers[t].start();
            }
        }
        starting = 1;
        switchTo(0);
        pass(0);
        awaitTurn(n);
        aborting = true;
        for (int t = 0; t < n; t++) {
            if (!threads[t].finished()) {
                switchTo(t);
                pass(t);
                awaitTurn(n);
            }
        }
        aborting = false;
        sched.attach(null);
        if (end == End.COMPLETE) {
            List<Violation> found = target.finalChecks();
            if (!found.isEmpty()) {
                end = End.VIOLATION;
                violation = found.get(0);
                violationStep = 0;
            }
            outcome = target.outcome();
        }
    }

    private void work(int me) {
        while (true) {
            awaitTurn(me);
            if (shutdown) {
                pass(n);
                return;
            }
            try {
                if (!aborting) {
                    target.run(me);
                }
            } catch (Abort a) {
                // the execution is over
            } catch (Throwable e) {
                if (end == null) {
                    end = End.FAILED;
                    failure = e;
                    failureThread = me;
                }
            }
            threads[me].finish();
            int next = n;
            if (!aborting && end == null) {
                next = advance(me);
            }
            pass(next);
        }
    }

    // ---- the hook, called on the thread holding the baton

    @Override
    public void point(Object object, int index, Access access, String function) {
        int me = holder();
        beforePoint(me);
        if (object == null) {
            throw new IllegalArgumentException("object must not be null at a scheduling point in " + function);
        }
        announce(me, object, index, access, function, null, null);
        yieldAt(me);
    }

    @Override
    public void waitUntil(Object object, int index, Access access, String function, BooleanSupplier condition,
            String waitingFor) {
        int me = holder();
        beforePoint(me);
        if (condition == null) {
            throw new IllegalArgumentException("condition must not be null in " + function);
        }
        announce(me, object, index, access, function, condition, waitingFor);
        yieldAt(me);
        threads[me].resumed();
    }

    @Override
    public void violation(Violation v) {
        holder();
        if (violation == null) {
            violation = v;
            violationStep = steps;
            end = End.VIOLATION;
        }
        throw ABORT;
    }

    private int holder() {
        if (aborting) {
            throw ABORT;
        }
        int me = current;
        if (me < 0 || Thread.currentThread() != carriers[me]) {
            throw new IllegalStateException("scheduling point outside the explored threads: " + Thread.currentThread());
        }
        return me;
    }

    /** Lets the model act at the start of a point (run pending IPIs); not re-entered from its own points. */
    private void beforePoint(int me) {
        if (!inBeforePoint) {
            inBeforePoint = true;
            try {
                sched.pointReached(me);
            } finally {
                inBeforePoint = false;
            }
        }
    }

    private void announce(int me, Object o, int i, Access a, String f, BooleanSupplier c, String w) {
        StepInfo stepInfo = null;
        if (recordKeys) {
            Key k = o == null ? null : key(o);
            String name = k == null ? null : k.name;
            // a lock's hold only for its waits and releases (see SchedLock): a trylock or a
            // self-deadlocking acquire is a plain point
            SchedLock.Hold hold = o instanceof SchedLock l && (c != null && a == Access.ACQUIRE || a == Access.RELEASE)
                    ? l.hold(a, f) : null;
            stepInfo = new StepInfo(name, k == null ? -1 : k.id, i, a, f, o == null,
                    a == Access.IPI || a == Access.FLUSH ? threadNamed(name) : -1, hold);
        }
        threads[me].announce(o, i, a, f, c, w, stepInfo);
    }

    private void yieldAt(int me) {
        int next = advance(me);
        if (next == me) {
            return;
        }
        pass(next);
        awaitTurn(me);
        if (aborting) {
            throw ABORT;
        }
    }

    /** The next holder: the next thread to start, the chosen thread, or the controller when over. */
    private int advance(int me) {
        if (starting < n) {
            int t = starting++;
            switchTo(t);
            return t;
        }
        return decide();
    }

    private int decide() {
        long unfinished = 0;
        long enabled = 0;
        for (int t = 0; t < n; t++) {
            ExploredThread th = threads[t];
            if (th.finished()) {
                continue;
            }
            unfinished |= 1L << t;
            if (th.canRun()) {
                enabled |= 1L << t;
            } else {
                th.waited = true;
            }
        }
        if (unfinished == 0) {
            end = End.COMPLETE;
            return n;
        }
        if (steps >= budget) {
            end = End.OUT_OF_BUDGET;
            cutOff = "step budget of " + budget + " steps used up with " + pending(unfinished);
            return n;
        }
        int c;
        try {
            c = chooser.choose(this, enabled);
        } catch (RuntimeException e) {
            chooserError = e;
            end = End.FAILED;
            return n;
        }
        if (enabled == 0) {
            end = End.DEADLOCK;
            violation = new Violation(ViolationKind.DEADLOCK, "no CPU can make progress: " + pending(unfinished));
            return n;
        }
        if (c < 0) {
            end = End.PRUNED;
            return n;
        }
        if (c >= n || (enabled & (1L << c)) == 0) {
            chooserError = new IllegalStateException("chooser picked thread " + c + ", which cannot run");
            end = End.FAILED;
            return n;
        }
        if (steps == choices.length) {
            choices = Arrays.copyOf(choices, steps * 2);
        }
        choices[steps++] = c;
        if (rows != null) {
            rows.add(row(c));
        }
        threads[c].run();
        previous = c;
        if (c != current) {
            switchTo(c);
        }
        return c;
    }

    private TraceRow row(int t) {
        ExploredThread th = threads[t];
        String note = th.waited && th.blockedOn != null ? "waited: " + th.blockedOn : null;
        if (th.object == null) {
            return new TraceRow(steps, t, th.function, null, th.blockedOn, null);
        }
        StepMeaning meaning = th.object instanceof SchedKeyed k ? k.meaning(th.entry, th.access, th.function) : null;
        return new TraceRow(steps, t, th.function, th.access, describe(th), note, meaning);
    }

    /** Who waits for what, or where each unfinished thread is, e.g. "CPU0 waits for ptl (spin_lock)". */
    private String pending(long unfinished) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < n; t++) {
            if ((unfinished & (1L << t)) == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            ExploredThread th = threads[t];
            sb.append(th.name);
            if (!th.canRun()) {
                sb.append(" waits for ").append(th.blockedOn).append(" (").append(th.function).append(')');
            } else {
                sb.append(" at ").append(th.function).append(": ").append(th.access);
                if (th.object != null) {
                    sb.append(' ').append(describe(th));
                }
            }
        }
        return sb.toString();
    }

    private int threadNamed(String name) {
        for (int t = 0; t < n; t++) {
            if (threads[t].name.equals(name)) {
                return t;
            }
        }
        return -1;
    }

    private String describe(ExploredThread th) {
        String k = key(th.object).name;
        return th.entry >= 0 ? k + "[" + th.entry + "]" : k;
    }

    private Key key(Object o) {
        // A thread's steps often touch one object several times running (a walk reads the
        // entries of one table): the last answer saves the identity-map lookup.
        if (o == lastKeyed) {
            return lastKey;
        }
        Key k = keys.get(o);
        if (k == null) {
            String name = o instanceof SchedKeyed sk ? sk.schedKey() : String.valueOf(o);
            k = new Key(name, keyIds.of(name));
            keys.put(o, k);
        }
        lastKeyed = o;
        lastKey = k;
        return k;
    }

    private void switchTo(int t) {
        current = t;
        sched.switched(t);
    }

    private void pass(int next) {
        turn = next;
        LockSupport.unpark(carriers[next]);
    }

    private void awaitTurn(int me) {
        while (turn != me) {
            LockSupport.park(this);
        }
    }

    // ---- what choosers and the explorer read

    int threads() {
        return n;
    }

    String name(int t) {
        return threads[t].name;
    }

    List<String> names() {
        List<String> out = new ArrayList<>(n);
        for (ExploredThread t : threads) {
            out.add(t.name);
        }
        return out;
    }

    /** Steps taken so far in this execution. */
    int steps() {
        return steps;
    }

    /** The thread that ran the last step, or -1 before the first. */
    int previous() {
        return previous;
    }

    /** Thread t's announced next step (needs keys), or null when it has finished. */
    StepInfo stepInfo(int t) {
        return threads[t].info;
    }

    /** Sets the step budget of the executions from now on. */
    void budget(int steps) {
        this.budget = steps;
    }

    int budget() {
        return budget;
    }

    /** For an execution cut off by the step budget, where every unfinished thread was; else null. */
    String cutOff() {
        return cutOff;
    }

    End end() {
        return end;
    }

    Violation violation() {
        return violation;
    }

    int violationStep() {
        return violationStep;
    }

    String outcome() {
        return outcome;
    }

    List<TraceRow> rows() {
        return rows;
    }

    /** The schedule string of this execution so far. */
    String schedule() {
        return Schedule.format(choices, steps);
    }

    /** Context switches in this execution (steps whose thread differs from the previous step's). */
    int switches() {
        int s = 0;
        for (int i = 1; i < steps; i++) {
            if (choices[i] != choices[i - 1]) {
                s++;
            }
        }
        return s;
    }

    /** Throws what went wrong outside the model: a chooser's complaint, or a program's exception. */
    void rethrow() {
        if (chooserError != null) {
            throw chooserError;
        }
        if (failure != null) {
            throw new IllegalStateException(threads[failureThread].name + " threw " + failure + " in schedule "
                    + schedule(), failure);
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        shutdown = true;
        carriers[n] = Thread.currentThread();
        for (int t = 0; t < n; t++) {
            pass(t);
            awaitTurn(n);
        }
    }
}
