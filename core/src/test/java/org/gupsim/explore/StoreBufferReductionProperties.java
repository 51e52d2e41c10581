package org.gupsim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;
import org.gupsim.sched.Access;
import org.gupsim.sched.WeakCell;

/**
 * The partial-order reduction with store buffers against plain depth-first search, on small
 * generated programs over {@link WeakCell} memory: two threads, each a few relaxed loads, relaxed
 * and release stores, value-returning and non-returning read-modify-writes, {@code smp_wmb()} and
 * {@code smp_mb()} on two or three variables, explored under arm64 and power (a buffer per
 * location, the flush threads' steps and the CPUs' drain waits are all ordinary steps) and tso (one
 * FIFO per CPU). The reduced search must reach every final state plain search reaches.
 */
class StoreBufferReductionProperties {

    /** One operation: 0 load, 1 store c, 2 release store c, 3 fetch-add c (returns), 4 add c (returns nothing), 5 wmb, 6 mb. */
    record Op(int kind, int var, int c) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "r=v" + var;
                case 1 -> "v" + var + "=" + c;
                case 2 -> "rel(v" + var + ")=" + c;
                case 3 -> "r=v" + var + "+=" + c;
                case 4 -> "c" + var + "+=" + c;
                case 5 -> "wmb";
                default -> "mb";
            };
        }
    }

    /** A generated program: its threads' operations and its variable count. */
    record Program(List<List<Op>> threads, int vars) {
    }

    /** Memory: variables 0..vars-1 replaced by stores, counters vars.. combined by adds. */
    private record Memory(long[] v, int vars) implements WeakCell {
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
            return index < vars ? Merge.REPLACE : Merge.ADD;
        }

        @Override
        public String toString() {
            return "memory";
        }
    }

    static final class Target extends Toys.Toy {
        private final Program program;
        private Memory memory;
        private long[][] regs;

        Target(Program program) {
            super(program.threads().size());
            this.program = program;
        }

        @Override
        void reset() {
            memory = new Memory(new long[2 * program.vars()], program.vars());
            regs = new long[threads()][];
            for (int t = 0; t < threads(); t++) {
                regs[t] = new long[program.threads().get(t).size()];
            }
        }

        @Override
        public void run(int cpu) {
            List<Op> ops = program.threads().get(cpu);
            long[] v = memory.v();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                int x = op.var();
                int cnt = program.vars() + x;
                switch (op.kind()) {
                    case 0 -> {
                        sched.point(memory, x, Access.READ, Order.RELAXED, "load", memory, x);
                        regs[cpu][i] = sched.load(memory, x, v[x]);
                    }
                    case 1, 2 -> {
                        sched.point(memory, x, Access.WRITE, op.kind() == 1 ? Order.RELAXED : Order.RELEASE, "store",
                                memory, x);
                        v[x] = op.c();
                    }
                    case 3 -> {
                        sched.point(memory, x, Access.RMW, Order.RELAXED, "fetch_add", memory, x);
                        long old = sched.load(memory, x, v[x]);
                        regs[cpu][i] = old;
                        v[x] = old + op.c();
                    }
                    case 4 -> {
                        sched.point(memory, cnt, Access.RMW, Order.RELAXED, "add", memory, cnt);
                        v[cnt] += op.c();
                    }
                    case 5 -> sched.fence(Primitive.WMB, "wmb");
                    default -> sched.fence(Primitive.MB, "mb");
                }
            }
        }

        @Override
        public String outcome() {
            return "v=" + Arrays.toString(memory.v()) + " r=" + Arrays.deepToString(regs);
        }
    }

    private static final ExploreOptions ALL = ExploreOptions.DEFAULTS.withStopOnFirstViolation(false);

    /**
     * Two buffers per CPU (six threads with the flush threads) keep plain search small enough; a
     * model whose plain search does not finish within the cap is skipped for that program.
     */
    @Property(tries = 40)
    void dporReachesWhatPlainDfsReachesUnderEachWeakModel(@ForAll("programs") Program program) {
        int compared = 0;
        for (String m : List.of("arm64", "power", "tso")) {
            ExploreTarget target = StoreBufferTarget.of(new Target(program), MemoryModels.get(m), 2);
            ExplorationResult dfs = Explorer.explore(target, Strategy.dfs(), ALL.withMaxSchedules(30_000));
            if (!dfs.exhausted()) {
                continue;
            }
            compared++;
            ExplorationResult dpor = Explorer.explore(target, Strategy.dpor(), ALL);
            assertTrue(dpor.exhausted());
            assertEquals(dfs.outcomes().keySet(), dpor.outcomes().keySet(), m + " " + program);
            assertTrue(dpor.schedules() <= dfs.schedules(), m + " " + program);
        }
        Assume.that(compared > 0);
    }

    @Provide
    Arbitrary<Program> programs() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 2)).as(Op::new);
        Arbitrary<List<List<Op>>> threads = op.list().ofMinSize(1).ofMaxSize(3).list().ofSize(2)
                .map(ArrayList::new);
        return Combinators.combine(threads, Arbitraries.integers().between(2, 3))
                .as((t, vars) -> new Program(t, vars))
                .map(p -> new Program(p.threads().stream().map(ops -> ops.stream()
                        .map(o -> new Op(o.kind(), o.var() % p.vars(), o.c())).toList()).toList(), p.vars()));
    }
}
