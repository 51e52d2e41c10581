package org.gupsim.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gupsim.memmodel.MemoryModel;
import org.gupsim.memmodel.MemoryModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classic litmus shapes of the repository's {@code litmus-tests/}, run under every built-in
 * model, against the verdicts herd7 and the literature give for the compiled tests (sources per
 * row in docs/memory-models.md): x86-TSO from Owens et al. 2009 and herd7's x86tso.cat; arm64
 * from the Arm ARM / aarch64.cat and Pulte et al. POPL 2018; power from Alglave et al., "Herding
 * cats" (TOPLAS 2014) and Sarkar et al. PLDI 2011. A verdict here comes from running the model.
 */
class ClassicShapesTest {

    /** test → verdicts under sc, tso, arm64, power ("N" Never, "S" Sometimes). */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("SB", "N S S S"),
            Map.entry("SB+mbs", "N N N N"),
            Map.entry("SB+mb+po", "N S S S"),
            Map.entry("SB+wmbs", "N S S S"),
            Map.entry("SB+wmb-store+mb", "N S S S"),
            Map.entry("SB+rmbs", "N S S S"),
            Map.entry("SB+atomicreturns", "N N N N"),
            Map.entry("SB+xchgs", "N N N N"),
            Map.entry("SB+atomics", "N N S S"),
            Map.entry("SB+atomic+mb__after_atomics", "N N N N"),
            Map.entry("SB+cmpxchg-fails", "N N S N"),
            Map.entry("MP", "N N S S"),
            Map.entry("MP+wmb+rmb", "N N N N"),
            Map.entry("MP+wmb+po", "N N S S"),
            Map.entry("MP+po+rmb", "N N S S"),
            Map.entry("MP+release+acquire", "N N N N"),
            Map.entry("MP+wmb+ctrl", "N N S S"),
            Map.entry("MP+wmb+addr", "N N N N"),
            Map.entry("MP+polocks", "N N N N"),
            Map.entry("LB", "N N S S"),
            Map.entry("LB+ctrls", "N N N N"),
            Map.entry("LB+datas", "N N N N"),
            Map.entry("LB+acquire+release", "N N N N"),
            Map.entry("IRIW", "N N S S"),
            Map.entry("IRIW+rmbs", "N N N S"),
            Map.entry("IRIW+mbs", "N N N N"),
            Map.entry("2+2W", "N N S S"),
            Map.entry("2+2W+wmbs", "N N N N"),
            Map.entry("WRC", "N N S S"),
            Map.entry("WRC+data+rmb", "N N N S"),
            Map.entry("WRC+release+rmb", "N N N N"),
            Map.entry("ISA2", "N N S S"),
            Map.entry("ISA2+release+acquire-release+acquire", "N N N N"),
            Map.entry("ISA2+wmb+data+rmb", "N N N N"),
            Map.entry("R", "N S S S"),
            Map.entry("R+mbs", "N N N N"),
            Map.entry("S+wmb+acquire", "N N N N"),
            Map.entry("CoRR", "N N N N"),
            Map.entry("Z6.0+pooncelock+pooncelock+pombonce", "N N N S"),
            Map.entry("RCU+sync+free", "N N N N"),
            Map.entry("RCU+nosync+free", "S S S S"),
            Map.entry("GUP-fast+unmap+anon-exclusive", "N N N N"),
            Map.entry("GUP-fast+unmap+anon-exclusive+no-barriers", "N N S S"),
            Map.entry("GUP-fast+KSM+anon-exclusive", "N N N N"),
            Map.entry("GUP-fast+KSM+anon-exclusive+no-barriers", "N N S S")));

    static final List<String> MODELS = List.of("sc", "tso", "arm64", "power");

    static Path dir() {
        return Path.of("..", "litmus-tests");
    }

    static Stream<String> tests() {
        return EXPECTED.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("tests")
    void agreesWithHerd7(String name) throws IOException {
        LitmusTest t = LitmusParser.parse(Files.readString(dir().resolve(name + ".litmus")));
        assertEquals(name, t.name());
        List<String> got = new ArrayList<>();
        for (String m : MODELS) {
            got.add(LitmusRunner.run(t, MemoryModels.get(m)).result().substring(0, 1));
        }
        assertEquals(EXPECTED.get(name), String.join(" ", got), name + " under " + MODELS);
    }

    @Test
    void everyShippedTestHasAnExpectation() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            List<String> names = s.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".litmus")).map(f -> f.substring(0, f.length() - 7)).sorted().toList();
            assertEquals(List.copyOf(EXPECTED.keySet()), names);
        }
    }

    @Test
    void sbStatesAreHerdsFour() throws IOException {
        LitmusTest t = LitmusParser.parse(Files.readString(dir().resolve("SB.litmus")));
        MemoryModel tso = MemoryModels.get("tso");
        LitmusResult r = LitmusRunner.run(t, tso);
        assertEquals(List.of("0:r0=0; 1:r0=0;", "0:r0=0; 1:r0=1;", "0:r0=1; 1:r0=0;", "0:r0=1; 1:r0=1;"),
                r.states().stream().map(r::stateText).toList());
        assertEquals(1, r.positive());
        assertEquals(3, r.negative());
        assertEquals(true, r.validated());
        LitmusResult sc = LitmusRunner.run(t, MemoryModels.get("sc"));
        assertEquals(3, sc.states().size());
        assertEquals(false, sc.validated());
    }
}
