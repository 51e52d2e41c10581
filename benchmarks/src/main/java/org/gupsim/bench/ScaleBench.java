package org.gupsim.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreControl;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One big exhaustive exploration on more threads, and how explorations grow with pages and CPUs.
 *
 * <ul>
 * <li>{@code bigCell}: seconds for the whole exhaustive exploration (DPOR) of
 *     {@code gup-fast-vs-munmap} with {@code pages=3,table-batch=fail} on {@code x86_64:paravirt},
 *     the latest kernel, on {@code threads} worker threads. The JVM keeps its default
 *     virtual-thread scheduler (one carrier per core), as {@code ./gupsim explore} does for more than
 *     one thread. Each exploration must be exhausted and SAFE, or the trial fails; it prints its
 *     schedule and pruned counts, which must be the same for every thread count (each thread count
 *     runs in a JVM of its own, so compare the printed lines). Since KVM's steal-time byte is
 *     modelled the cell has more than 1,000,000 schedules, explore's default cap, so the benchmark
 *     raises the cap ({@link #MAX_SCHEDULES}).</li>
 * <li>{@code growth}: seconds and schedules of the exhaustive exploration of a scenario with
 *     {@code pages} pages on {@code x86_64} (the kernel's default variant; two CPUs; {@code gup-fast-vs-collapse-munmap}
 *     has three), on two threads. Prints the schedule count and pruned share.</li>
 * </ul>
 *
 * Single shot, one fork, no warm-up: these take seconds to minutes each, and what a user waits for
 * is a cold run.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ScaleBench.bigCell -p threads=1,2,4,8
 * java -jar benchmarks/target/benchmarks.jar ScaleBench.growth</pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
public class ScaleBench {
    /** The big cell. */
    @State(Scope.Benchmark)
    public static class BigCell {
        @Param({"1", "2", "4", "8"})
        public int threads;

        Exploration exploration;
        ExplorationResult last;

        @Setup(Level.Trial)
        public void setUp() {
            exploration = exploration("gup-fast-vs-munmap", Map.of("pages", "3", "table-batch", "fail"),
                    "x86_64:paravirt");
        }

        @TearDown(Level.Iteration)
        public void check() {
            report("gup-fast-vs-munmap pages=3 table-batch=fail on x86_64:paravirt, " + threads + " threads", last);
        }
    }

    /** A scenario with a number of pages. */
    @State(Scope.Benchmark)
    public static class Growth {
        @Param({"gup-fast-vs-munmap", "gup-fast-vs-evict", "gup-fast-vs-collapse-munmap"})
        public String scenario;

        @Param({"1", "2", "3"})
        public String pages;

        Exploration exploration;
        ExplorationResult last;

        @Setup(Level.Trial)
        public void setUp() {
            exploration = exploration(scenario, Map.of("pages", pages), "x86_64");
        }

        @TearDown(Level.Iteration)
        public void check() {
            report(scenario + " pages=" + pages + " on x86_64 (" + Scenarios.get(scenario).cpus() + " CPUs)",
                    last);
        }
    }

    static Exploration exploration(String scenario, Map<String, String> params, String arch) {
        KernelVersion kernel = KernelVersion.LATEST;
        return new Exploration(Scenarios.get(scenario), params, ArchRegistry.load().parse(arch, kernel), kernel);
    }

    /** Prints the counts; fails unless the exploration was exhausted and SAFE. */
    static void report(String what, ExplorationResult r) {
        ExploreBench.requireExhaustedSafe(what, r);
        System.out.printf(Locale.ROOT, "%n%s: %d schedules, %d pruned (%.2f%%)%n", what, r.schedules(), r.pruned(),
                100.0 * r.pruned() / r.schedules());
    }

    /** A cap no scenario here reaches: every trial must be exhausted. */
    static final long MAX_SCHEDULES = 10_000_000;

    private static ExplorationResult explore(Exploration e, int threads) {
        return e.explore(Strategy.dpor(), ExploreOptions.DEFAULTS.withMaxSchedules(MAX_SCHEDULES).withThreads(threads),
                new ExploreControl());
    }

    @Benchmark
    public ExplorationResult bigCell(BigCell s) {
        s.last = explore(s.exploration, s.threads);
        return s.last;
    }

    @Benchmark
    public ExplorationResult growth(Growth s) {
        s.last = explore(s.exploration, 2);
        return s.last;
    }
}
