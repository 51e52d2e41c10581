package org.gupsim.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.memmodel.MemoryModels;
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
 * Seconds for one whole exhaustive exploration (DPOR, two explorer threads: the "2 cores" of issue
 * 15's target) of the page-identity scenarios under a weak memory model with store buffers, on the
 * latest kernel, with and without {@code no-anon-exclusive-barriers}. A violation does not stop the
 * search (as when a test looks for the shortest counterexample), so every iteration covers the
 * whole space and must come back exhausted, or the trial fails. Defaults: arm64 under its own
 * model; {@code -p archAndModel=ppc64:power,x86_64:tso} adds the others.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar WeakMemoryBench</pre>
 */
@State(Scope.Benchmark)
public class WeakMemoryBench {

    @Param({"gup-fast-vs-swapout", "gup-fast-vs-migrate"})
    public String scenario;

    @Param({"arm64:arm64"})
    public String archAndModel;

    @Param({"none", "no-anon-exclusive-barriers"})
    public String patch;

    private Exploration exploration;
    private ExplorationResult last;

    @Setup(Level.Trial)
    public void setUp() {
        String[] am = archAndModel.split(":");
        Kernel kernel = patch.equals("none") ? KernelVersion.LATEST
                : KernelVersion.LATEST.with(KernelCatalogue.get().patch(patch));
        exploration = new Exploration(Scenarios.get(scenario), Map.of(),
                ArchRegistry.load().parse(am[0], kernel), kernel, MemoryModels.get(am[1]));
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (last == null || !last.exhausted()) {
            throw new IllegalStateException(scenario + " on " + archAndModel + " (" + patch + "): not exhausted");
        }
        System.out.println(" [" + last.verdict() + ", " + last.schedules() + " schedules]");
    }

    /** One exhaustive exploration on two explorer threads. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    @Fork(1)
    public ExplorationResult exhaustive() {
        last = exploration.explore(Strategy.dpor(),
                ExploreOptions.DEFAULTS.withThreads(2).withStopOnFirstViolation(false));
        return last;
    }
}
