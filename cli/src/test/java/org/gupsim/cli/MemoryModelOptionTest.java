package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --memory-model} on explore and replay: the default, the words it takes, bad values, replay lines. */
class MemoryModelOptionTest {

    /** Empty, malformed, case, non-ASCII (Arabic-Indic one, fullwidth four), a model's name with a space, huge. */
    static final List<String> BAD = List.of("", "xyz", "ARM64", "\u0661", "\uff14", " tso", "a".repeat(100_000));

    @ParameterizedTest
    @ValueSource(strings = {"explore", "replay"})
    void badValuesAreRefusedInOneLineNamingTheFlagAndTheAllowedWords(String command) {
        for (String v : BAD) {
            CliRun r = command.equals("explore")
                    ? CliRun.of("explore", "gup-fast-vs-munmap", "--memory-model", v)
                    : CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0", "--memory-model", v);
            assertEquals(Main.EXIT_USAGE, r.exit(), v + ": " + r);
            assertEquals("", r.out());
            assertEquals(1, r.errLines().size(), r.err());
            String line = r.errLines().get(0);
            assertTrue(line.startsWith("gupsim " + command + ": --memory-model"), line);
            assertTrue(line.contains("allowed: sc, tso, arm64, power, arch"), line);
            assertTrue(line.length() < 200, "the value is not echoed whole: " + line.length());
        }
        CliRun none = command.equals("explore")
                ? CliRun.of("explore", "gup-fast-vs-munmap", "--memory-model")
                : CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0", "--memory-model");
        assertEquals(Main.EXIT_USAGE, none.exit(), none.toString());
        assertEquals(1, none.errLines().size(), none.err());
        assertTrue(none.errLines().get(0).contains("--memory-model"), none.err());
    }

    @Test
    void scIsTheDefaultAndChangesNothing() {
        String[] base = ExploreCommandTest.with(ExploreCommandTest.UAF, "--json", "--threads", "1");
        CliRun without = CliRun.of(base);
        CliRun sc = CliRun.of(ExploreCommandTest.with(base, "--memory-model", "sc"));
        assertEquals(without.out(), sc.out());
        assertEquals(without.exit(), sc.exit());
        assertFalse(ExploreCommandTest.json(sc).has("memoryModel"), sc.out());
    }

    @Test
    void aViolationUnderTsoNamesTheModelAndItsReplayLineReproducesIt() {
        CliRun r = CliRun.of(ExploreCommandTest.with(ExploreCommandTest.UAF, "--memory-model", "tso", "--threads", "1"));
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.outLines().get(0).contains(", memory model tso;"), r.outLines().get(0));
        String replay = r.outLines().stream().filter(l -> l.startsWith("replay: ./gupsim replay ")).findFirst()
                .orElseThrow(() -> new AssertionError("no replay line: " + r.out()));
        assertTrue(replay.contains(" --memory-model tso"), replay);
        String[] args = replay.substring("replay: ./gupsim ".length()).split(" ");
        CliRun again = CliRun.of(ExploreCommandTest.with(args, "--json"));
        assertEquals(Main.EXIT_FAILURE, again.exit(), again.toString());
        JsonNode j = ExploreCommandTest.json(again);
        assertEquals("tso", j.get("memoryModel").asText());
        // the flush threads are explorer threads: the schedule names more threads than the two CPUs
        assertTrue(j.get("trace").toString().contains("CPU0.sb") || j.get("trace").toString().contains("CPU1.sb"),
                "no store-buffer step in the trace");
    }
}
