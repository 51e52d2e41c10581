package org.gupsim.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model checker's speed on the GUP-fast race scenarios, on x86_64 and the latest kernel, no
 * mutants, default scenario parameters.
 *
 * <ul>
 * <li>{@code random*}: schedules per second of a seeded random walk over
 *     {@code gup-fast-vs-munmap} on {@code x86_64:native} (kernel 6.10, the last with it). One invocation explores
 *     {@value #RANDOM_SCHEDULES} schedules; the score is schedules a second. Every schedule boots
 *     a fresh 16 MiB machine, sets the scenario up (mmap, touch) and runs both CPUs and the RCU
 *     thread to the end, handing the baton between virtual threads at each scheduling point.</li>
 * <li>{@code exhaustive*}: milliseconds for a whole exhaustive exploration (DPOR, default
 *     options) of each scenario on each variant; each iteration is one exploration, warm after
 *     30 warm-up iterations (the small ones take 10 ms, too short for the JIT to finish in
 *     fewer); {@code -wi 0 -i 1 -f 5} gives the cold time in a fresh JVM, what a CLI user
 *     waits for, instead. The first iteration prints the number of schedules; every exploration
 *     must come back exhausted and SAFE with that number, or the trial fails.</li>
 * </ul>
 *
 * <p>Each is measured twice: with {@code -Djdk.virtualThreadScheduler.parallelism=1} (one carrier
 * thread, so a baton hand-off stays on one core: about 110-150 ns) and with the default
 * virtual-thread scheduler (one carrier per core: a hand-off may wake another carrier, about
 * 300 ns). Only one thread ever runs model code, so one carrier loses nothing.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ExploreBench</pre>
 */
public class ExploreBench {
    /** Schedules per invocation of a random benchmark. */
    static final int RANDOM_SCHEDULES = 2000;
    /** The seed of the random walk; fixed, so every invocation explores the same schedules. */
    static final long SEED = 1;
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    /** The random walk's question: gup-fast-vs-munmap on x86_64:native. */
    @State(Scope.Benchmark)
    public static class RandomWalk {
        Exploration exploration;
        Strategy strategy;

        @Setup(Level.Trial)
        public void setUp() {
            exploration = exploration("gup-fast-vs-munmap", "native");
            strategy = Strategy.random(SEED, RANDOM_SCHEDULES);
        }
    }

    /** One scenario on one variant, explored exhaustively. */
    @State(Scope.Benchmark)
    public static class Exhaustive {
        @Param({"gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict"})
        public String scenario;

        @Param({"native", "native-rcu", "paravirt", "invlpgb"})
        public String variant;

        Exploration exploration;
        /** Schedules of the first measured exploration, or -1 before it. */
        long schedules = -1;
        ExplorationResult last;

        /**
         * Only builds the question: exploring here would warm the JIT up before the first
         * iteration, and {@code -wi 0 -i 1} would no longer measure a cold start (what a CLI
         * user waits for).
         */
        @Setup(Level.Trial)
        public void setUp() {
            exploration = exploration(scenario, variant);
        }

        /** Every measured exploration must have covered the same space, safely. */
        @TearDown(Level.Iteration)
        public void check() {
            requireExhaustedSafe(scenario + " on x86_64:" + variant, last);
            if (schedules < 0) {
                schedules = last.schedules();
                System.out.printf(Locale.ROOT, "%n%s on x86_64:%s: %s, %d schedules (%d pruned), outcomes %s%n",
                        scenario, variant, last.verdict(), last.schedules(), last.pruned(), last.outcomes());
            } else if (last.schedules() != schedules) {
                throw new IllegalStateException(scenario + " on " + variant + ": " + last.schedules()
                        + " schedules, the first exploration ran " + schedules);
            }
            last = null;
        }

    }

    /** Fails the trial unless {@code r} (of {@code what}) is there, exhausted and SAFE. */
    static void requireExhaustedSafe(String what, ExplorationResult r) {
        if (r == null || !r.exhausted() || r.verdict() != Verdict.SAFE) {
            throw new IllegalStateException(what + ": expected an exhausted SAFE exploration, got "
                    + (r == null ? "none" : r.render()));
        }
    }

    /** {@code scenario} on {@code x86_64:variant} and the latest kernel that has it (native: 6.10). */
    static Exploration exploration(String scenario, String variant) {
        KernelVersion[] ks = KernelVersion.values();
        for (int i = ks.length - 1; i >= 0; i--) {
            ArchVariant v = ArchRegistry.load().resolve("x86_64:" + variant, ks[i]);
            if (v.unavailableOn(ks[i]).isEmpty()) {
                return new Exploration(Scenarios.get(scenario), Map.of(), v, ks[i]);
            }
        }
        throw new IllegalArgumentException("x86_64:" + variant + " exists on no kernel");
    }

    private static ExplorationResult random(RandomWalk s) {
        ExplorationResult r = s.exploration.explore(s.strategy, ExploreOptions.DEFAULTS);
        // Cheap next to 2000 executions, and keeps the score honest: every schedule ran, none failed.
        if (r.schedules() != RANDOM_SCHEDULES || r.verdict() != Verdict.SAFE) {
            throw new IllegalStateException("expected " + RANDOM_SCHEDULES + " SAFE schedules, got " + r.render());
        }
        return r;
    }

    /** Random walk, one carrier thread. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RANDOM_SCHEDULES)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 10, time = 2)
    @Fork(value = 1, jvmArgsAppend = ONE_CARRIER)
    public ExplorationResult randomOneCarrier(RandomWalk s) {
        return random(s);
    }

    /** Random walk, the default virtual-thread scheduler (one carrier per core). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RANDOM_SCHEDULES)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 10, time = 2)
    @Fork(1)
    public ExplorationResult randomDefaultScheduler(RandomWalk s) {
        return random(s);
    }

    /** Exhaustive DPOR exploration, one carrier thread. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 30)
    @Measurement(iterations = 20)
    @Fork(value = 1, jvmArgsAppend = ONE_CARRIER)
    public ExplorationResult exhaustiveOneCarrier(Exhaustive s) {
        s.last = s.exploration.explore(Strategy.dpor(), ExploreOptions.DEFAULTS);
        return s.last;
    }

    /** Exhaustive DPOR exploration, the default virtual-thread scheduler. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 30)
    @Measurement(iterations = 20)
    @Fork(1)
    public ExplorationResult exhaustiveDefaultScheduler(Exhaustive s) {
        s.last = s.exploration.explore(Strategy.dpor(), ExploreOptions.DEFAULTS);
        return s.last;
    }
}
