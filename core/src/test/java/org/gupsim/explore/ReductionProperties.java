package org.gupsim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.gupsim.sched.Access;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The partial-order reduction against plain depth-first search on small generated programs:
 * 2-3 threads, each a few loads, stores and atomic adds on 2-3 shared variables, some under one of
 * two spinlocks or a reader-writer lock, for read or for write (nested locks can deadlock), and a
 * final check that variable 0 is not a given value. The locks state their holds
 * ({@link org.gupsim.sched.SchedLock}) unless a property says otherwise.
 */
class ReductionProperties {

    /**
     * One operation: 0 load into the register, 1 store register+c, 2 atomic add c, 3 lock l { body },
     * 4 read-lock the rw lock { body }, 5 write-lock it { body }.
     */
    record Op(int kind, int arg, int c, List<Op> body) {
        int steps() {
            return kind < 3 ? 1 : 2 + body.stream().mapToInt(Op::steps).sum();
        }

        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "r=v" + arg;
                case 1 -> "v" + arg + "=r+" + c;
                case 2 -> "v" + arg + "+=" + c;
                case 3 -> "L" + arg + body;
                case 4 -> "R" + body;
                default -> "W" + body;
            };
        }
    }

    /** A generated program: its threads' operations, variable count, and the forbidden final value of v0. */
    record Program(List<List<Op>> threads, int vars, int forbidden) {
        int steps() {
            return threads.stream().flatMap(List::stream).mapToInt(Op::steps).sum();
        }
    }

    static final class Target extends Toys.Toy {
        private final Program program;
        private final boolean holds;
        private int[] v;
        private int[] reg;
        private Toys.Lock[] locks;
        private Toys.RwLock rw;
        /** When set, each complete execution's Mazurkiewicz trace (see {@link #foata}) is added here. */
        List<String> traces;
        /** The current execution's steps in the order they ran: thread, object, access (0 read, 1 other). */
        private final List<int[]> ran = new ArrayList<>();

        Target(Program program) {
            this(program, true);
        }

        /** With {@code holds}, the locks state their holds to the explorer. */
        Target(Program program, boolean holds) {
            super(program.threads().size());
            this.program = program;
            this.holds = holds;
        }

        @Override
        void reset() {
            v = new int[program.vars()];
            reg = new int[threads()];
            locks = holds
                    ? new Toys.Lock[] {new Toys.ExclusiveLock("L0", sched), new Toys.ExclusiveLock("L1", sched)}
                    : new Toys.Lock[] {new Toys.Lock("L0", sched), new Toys.Lock("L1", sched)};
            rw = new Toys.RwLock("R", sched, holds);
            ran.clear();
        }

        /** Records a step that just ran (the code after its scheduling point runs as part of it). */
        private void ran(int cpu, int object, boolean read) {
            ran.add(new int[] {cpu, object, read ? 0 : 1});
        }

        @Override
        public void run(int cpu) {
            for (Op op : program.threads().get(cpu)) {
                exec(cpu, op);
            }
        }

        private void exec(int cpu, Op op) {
            int x = op.arg() % v.length;
            switch (op.kind()) {
                case 0 -> {
                    sched.point(VARS[x], -1, Access.READ, "load");
                    ran(cpu, x, true);
                    reg[cpu] = v[x];
                }
                case 1 -> {
                    sched.point(VARS[x], -1, Access.WRITE, "store");
                    ran(cpu, x, false);
                    v[x] = reg[cpu] + op.c();
                }
                case 2 -> {
                    sched.point(VARS[x], -1, Access.RMW, "add");
                    ran(cpu, x, false);
                    v[x] += op.c();
                }
                case 3 -> {
                    Toys.Lock l = locks[op.arg()];
                    l.lock(cpu);
                    ran(cpu, 3 + op.arg(), false);
                    body(cpu, op);
                    l.unlock();
                    ran(cpu, 3 + op.arg(), false);
                }
                case 4 -> {
                    rw.readLock();
                    ran(cpu, 5, false);
                    body(cpu, op);
                    rw.readUnlock();
                    ran(cpu, 5, false);
                }
                default -> {
                    rw.writeLock(cpu);
                    ran(cpu, 5, false);
                    body(cpu, op);
                    rw.writeUnlock();
                    ran(cpu, 5, false);
                }
            }
        }

        private void body(int cpu, Op op) {
            for (Op inner : op.body()) {
                exec(cpu, inner);
            }
        }

        @Override
        public String outcome() {
            if (traces != null) {
                traces.add(foata(ran));
            }
            return "v=" + Arrays.toString(v) + " r=" + Arrays.toString(reg);
        }

        /**
         * The Foata normal form of an execution, which names its Mazurkiewicz trace: each step's
         * level is one more than the highest level of the earlier steps it depends on (same thread,
         * or same object unless both read; the explorer's dependence for these steps), and the
         * steps are listed by level, then thread. Two executions are equivalent exactly when their
         * forms are equal.
         */
        static String foata(List<int[]> steps) {
            int[] level = new int[steps.size()];
            List<int[]> ordered = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                int[] e = steps.get(i);
                for (int j = 0; j < i; j++) {
                    int[] f = steps.get(j);
                    if (f[0] == e[0] || f[1] == e[1] && (f[2] == 1 || e[2] == 1)) {
                        level[i] = Math.max(level[i], level[j] + 1);
                    }
                }
                ordered.add(new int[] {level[i], e[0], e[1], e[2]});
            }
            ordered.sort(java.util.Comparator.<int[]>comparingInt(a -> a[0]).thenComparingInt(a -> a[1]));
            StringBuilder sb = new StringBuilder();
            for (int[] a : ordered) {
                sb.append(a[0]).append(':').append(a[1]).append(':').append(a[2]).append(a[3] == 0 ? "r " : "w ");
            }
            return sb.toString();
        }

        @Override
        public List<Violation> finalChecks() {
            return v[0] == program.forbidden()
                    ? List.of(new Violation(ViolationKind.BUG_ON, "v0=" + v[0]))
                    : List.of();
        }
    }

    private static final String[] VARS = {"v0", "v1", "v2"};
    private static final Strategy.DepthFirst DPOR = new Strategy.DepthFirst(true);
    private static final ExploreOptions ALL = ExploreOptions.DEFAULTS.withStopOnFirstViolation(false);

    @Property(tries = 150)
    void dporCoversWhatPlainDfsCoversWithNoMoreSchedules(@ForAll("programs") Program program) {
        Target target = new Target(program);
        ExplorationResult dfs = Explorer.explore(target, Strategy.dfs(), ALL);
        ExplorationResult dpor = Explorer.explore(target, Strategy.dpor(), ALL);
        assertTrue(dfs.exhausted() && dpor.exhausted());
        assertTrue(dpor.schedules() <= dfs.schedules(), dpor.schedules() + " > " + dfs.schedules());
        assertEquals(dfs.outcomes().keySet(), dpor.outcomes().keySet(), program.toString());
        assertEquals(dfs.violations().keySet(), dpor.violations().keySet(), program.toString());
        assertEquals(dfs.verdict(), dpor.verdict());
        if (dpor.counterexample() != null) {
            Counterexample ce = dpor.counterexample();
            assertEquals(ce.trace(), Explorer.replay(target, ce.schedule()));
        }
    }

    /**
     * Locks that state their holds ({@link org.gupsim.sched.SchedLock}) only spare the search
     * executions it would have abandoned: the same classes of interleavings, each explored once, so
     * the same outcome and violation counts as with the same locks unstated, never more schedules,
     * and the same number of executions that were not abandoned.
     */
    @Property(tries = 150)
    void statedLockHoldsSpareOnlyAbandonedExecutions(@ForAll("programs") Program program) {
        ExplorationResult stated = Explorer.explore(new Target(program, true), Strategy.dpor(), ALL);
        ExplorationResult unstated = Explorer.explore(new Target(program, false), Strategy.dpor(), ALL);
        assertTrue(stated.exhausted() && unstated.exhausted());
        assertEquals(unstated.outcomes(), stated.outcomes(), program.toString());
        assertEquals(unstated.violations(), stated.violations(), program.toString());
        assertEquals(unstated.schedules() - unstated.pruned(), stated.schedules() - stated.pruned(), program.toString());
        assertTrue(stated.schedules() <= unstated.schedules(), stated.schedules() + " > " + unstated.schedules());
    }

    /**
     * The reduced search explores one complete execution per Mazurkiewicz trace: the traces of its
     * complete executions are those of every complete execution of plain search, none twice.
     */
    @Property(tries = 150)
    void oneCompleteExecutionPerMazurkiewiczTrace(@ForAll("programs") Program program) {
        Target plain = new Target(program);
        plain.traces = new ArrayList<>();
        Explorer.explore(plain, Strategy.dfs(), ALL);
        Target reduced = new Target(program);
        reduced.traces = new ArrayList<>();
        ExplorationResult r = Explorer.explore(reduced, Strategy.dpor(), ALL);
        java.util.Set<String> classes = new java.util.TreeSet<>(reduced.traces);
        assertEquals(new java.util.TreeSet<>(plain.traces), classes, program.toString());
        // the explorer also runs the scenario once to size the step budget: count the search's own
        long complete = r.outcomes().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(classes.size(), complete, program.toString());
    }

    /**
     * A search split into tasks (every few executions, so that these small programs split) covers
     * the classes the unsplit one does, one complete execution per class as the unsplit one, and
     * gives the same result on one thread or four, with or without a cap or stopping at the first
     * violation.
     */
    @Property(tries = 120)
    void splitSearchesCoverTheSameClassesOnAnyNumberOfThreads(@ForAll("programs") Program program,
            @ForAll @IntRange(min = 1, max = 4) int splitAfter, @ForAll @IntRange(min = 1, max = 5) int levels,
            @ForAll @IntRange(min = 1, max = 40) int cap) {
        TaskTree.Params split = new TaskTree.Params(splitAfter, levels);
        ExplorationResult whole = Explorer.explore(new Target(program), Strategy.dpor(), ALL);
        ExplorationResult one = explore(program, Strategy.dpor(), ALL, split);
        assertEquals(whole.outcomes(), one.outcomes(), program.toString());
        assertEquals(whole.violations().keySet(), one.violations().keySet(), program.toString());
        assertEquals(whole.verdict(), one.verdict());
        assertTrue(one.exhausted());
        for (ExploreOptions o : List.of(ALL, ALL.withMaxSchedules(cap), ExploreOptions.DEFAULTS,
                ExploreOptions.DEFAULTS.withMaxSchedules(cap))) {
            ExplorationResult sequential = explore(program, Strategy.dpor(), o, split);
            assertEquals(sequential, explore(program, Strategy.dpor(), o.withThreads(4), split), program + " " + o);
            for (int shards = 1; shards <= 3; shards++) {
                List<SearchShard> parts = new ArrayList<>();
                for (int i = shards - 1; i >= 0; i--) {
                    parts.add(Explorer.exploreShard(() -> new Target(program), DPOR, o.withThreads(1 + i % 2),
                            new ExploreControl(), i, shards, split));
                }
                assertEquals(sequential, Explorer.merge(new Target(program), DPOR, o, parts),
                        program + " " + o + " in " + shards + " shards");
            }
        }
        ExplorationResult dfs = Explorer.explore(new Target(program), Strategy.dfs(), ALL);
        assertEquals(dfs, explore(program, Strategy.dfs(), ALL.withThreads(2), split));
    }

    private static ExplorationResult explore(Program program, Strategy s, ExploreOptions o, TaskTree.Params split) {
        return Explorer.explore(() -> new Target(program), s, o, new ExploreControl(), split);
    }

    @Property(tries = 60)
    void aPreemptionBoundOnlyNarrowsTheSearch(@ForAll("programs") Program program) {
        Target target = new Target(program);
        ExplorationResult all = Explorer.explore(target, Strategy.dfs(), ALL);
        java.util.Set<String> previous = java.util.Set.of();
        for (int bound = 0; bound <= 3; bound++) {
            ExplorationResult bounded = Explorer.explore(target, Strategy.dpor(), ALL.withPreemptionBound(bound));
            assertTrue(bounded.exhausted());
            assertTrue(bounded.outcomes().keySet().containsAll(previous), "bound " + bound + ": " + program);
            assertTrue(all.outcomes().keySet().containsAll(bounded.outcomes().keySet()));
            assertTrue(bounded.schedules() <= all.schedules());
            previous = bounded.outcomes().keySet();
        }
        ExplorationResult unbounded = Explorer.explore(target, Strategy.dfs(), ALL.withPreemptionBound(program.steps()));
        assertEquals(all.outcomes(), unbounded.outcomes());
        assertEquals(all.schedules(), unbounded.schedules());
    }

    @Property(tries = 60)
    void randomAndPctOnlySeeReachableOutcomes(@ForAll("programs") Program program) {
        Target target = new Target(program);
        ExplorationResult dfs = Explorer.explore(target, Strategy.dfs(), ALL);
        for (Strategy s : List.of(Strategy.random(11, 40), Strategy.pct(11, 2, 40), Strategy.pct(12, 3, 40))) {
            ExplorationResult r = Explorer.explore(target, s, ALL);
            assertEquals(40, r.schedules());
            assertTrue(dfs.outcomes().keySet().containsAll(r.outcomes().keySet()), s + " " + program);
            assertTrue(dfs.violations().keySet().containsAll(r.violations().keySet()), s + " " + program);
        }
    }

    @Provide
    Arbitrary<Program> programs() {
        Arbitrary<Op> simple = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 2))
                .as((k, x, c) -> new Op(k, x, c, List.of()));
        // kinds 3 (spinlock 0 or 1), 4 (rw lock for read), 5 (rw lock for write)
        Arbitrary<Op> locked = Combinators.combine(Arbitraries.integers().between(0, 3),
                simple.list().ofMinSize(1).ofMaxSize(2)).as((l, body) -> new Op(kind(l), l % 2, 0, body));
        Arbitrary<Op> nested = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.oneOf(simple, locked).list().ofMinSize(1).ofMaxSize(1))
                .as((l, body) -> new Op(kind(l), l % 2, 0, body));
        Arbitrary<Op> op = Arbitraries.frequencyOf(Tuple.of(6, simple), Tuple.of(2, locked), Tuple.of(1, nested));
        Arbitrary<List<List<Op>>> threads = op.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(3)
                .map(ArrayList::new);
        return Combinators.combine(threads, Arbitraries.integers().between(2, 3), Arbitraries.integers().between(0, 4))
                .as(Program::new)
                .filter(p -> p.steps() <= 10);
    }

    /** Lock choice 0-3 as an operation kind: spinlock 0 or 1, the rw lock for read, for write. */
    private static int kind(int lock) {
        return lock < 2 ? 3 : lock == 2 ? 4 : 5;
    }
}
