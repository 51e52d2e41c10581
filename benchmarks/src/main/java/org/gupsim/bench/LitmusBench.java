package org.gupsim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gupsim.litmus.LitmusParser;
import org.gupsim.litmus.LitmusResult;
import org.gupsim.litmus.LitmusRunner;
import org.gupsim.litmus.LitmusTest;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.MemoryModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Milliseconds to run one litmus test of the repository's {@code litmus-tests/} under one model,
 * parsing excluded: the largest ones (four threads, or three with locks) by default. Run from the
 * repository root (the tests are read from {@code litmus-tests/}); {@code -p test=SB} picks others,
 * {@code -wi 0 -i 1 -f 5} gives the cold time a CLI user waits for.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LitmusBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LitmusBench {
    @Param({"IRIW+rmbs", "Z6.0+pooncelock+pooncelock+pombonce", "MP+polocks", "RCU+sync+free"})
    public String test;

    @Param({"sc", "tso", "arm64", "power"})
    public String model;

    private LitmusTest parsed;
    private MemoryModel memoryModel;

    @Setup
    public void setup() throws IOException {
        parsed = LitmusParser.parse(Files.readString(Path.of("litmus-tests", test + ".litmus")));
        memoryModel = MemoryModels.get(model);
    }

    @Benchmark
    public LitmusResult run() {
        return LitmusRunner.run(parsed, memoryModel);
    }
}
