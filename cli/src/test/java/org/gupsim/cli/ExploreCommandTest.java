package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExploreCommandTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Exhaustive search on invlpgb with tables freed immediately: GUP-fast touches a freed table. */
    static final String[] UAF = {"explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--mutant",
        "immediate-table-free"};

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static JsonNode json(CliRun r) {
        try {
            return MAPPER.readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }

    @Test
    void munmapIsSafeOnNative610AndTheWholeSpaceIsExplored() {
        CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:native", "--kernel", "6.10");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("explore gup-fast-vs-munmap (backing=anon, pages=1, table-batch=ok) on x86_64:native, "
                + "kernel 6.10, no patches; strategy exhaustive"), lines.get(0));
        assertTrue(lines.get(1).matches("SAFE \\(exhausted, \\d+ schedules, \\d+\\.\\d s\\)"), lines.get(1));
        assertTrue(lines.contains("outcome                count"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("pinned=1 +[1-9][0-9]*")), r.out());
        assertFalse(r.out().contains("replay:"), r.out());

        JsonNode j = json(CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:native", "--kernel", "6.10",
                "--json"));
        assertEquals("SAFE", j.get("verdict").asText());
        assertTrue(j.get("exhausted").asBoolean());
        assertTrue(j.get("violation").isNull());
        List<String> outcomes = new ArrayList<>();
        j.get("outcomes").fieldNames().forEachRemaining(outcomes::add);
        assertEquals(outcomes.stream().sorted().toList(), outcomes);
        assertTrue(outcomes.contains("pinned=1"), outcomes.toString());
        assertEquals("native", j.get("variant").asText());
        assertEquals("exhaustive", j.get("strategy").asText());
        assertTrue(j.get("seed").isNull());
    }

    @Test
    void invlpgbWithImmediateTableFreeIsAUseAfterFreeWithAReplayLine() {
        CliRun r = CliRun.of(UAF);
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.outLines().get(1).startsWith("VIOLATION: USE_AFTER_FREE: "), r.out());
        assertTrue(r.out().contains("<== USE_AFTER_FREE"), r.out());
        String replay = replayLine(r);
        assertTrue(replay.startsWith("./gupsim replay gup-fast-vs-munmap --schedule "), replay);
        assertTrue(replay.endsWith(" --arch x86_64:invlpgb --kernel latest --patch immediate-table-free"), replay);

        JsonNode v = json(CliRun.of(with(UAF, "--json"))).get("violation");
        assertEquals("USE_AFTER_FREE", v.get("kind").asText());
        assertTrue(replay.contains("--schedule " + v.get("schedule").asText() + " "), replay);
        JsonNode last = null;
        for (JsonNode row : v.get("trace")) {
            last = row;
            assertTrue(Stream.of("step", "thread", "function", "access", "object", "note").allMatch(row::has),
                    row.toString());
        }
        assertTrue(last != null && last.get("step").asInt() == v.get("trace").size(), v.toString());
    }

    static String replayLine(CliRun r) {
        List<String> found = r.outLines().stream().filter(l -> l.startsWith("replay: ")).toList();
        assertEquals(1, found.size(), r.out());
        return found.get(0).substring("replay: ".length());
    }

    @Test
    void theReplayLineReproducesTheTraceExactly() {
        String[] explore = with(UAF, "--param", "pages=2", "--param", "backing=anon");
        String line = replayLine(CliRun.of(explore));
        assertTrue(line.contains(" --param pages=2"), line);
        assertFalse(line.contains("backing"), "defaults are left out: " + line);
        String[] args = line.substring("./gupsim ".length()).split(" ");
        CliRun replay = CliRun.of(with(args, "--json"));
        assertEquals(Main.EXIT_FAILURE, replay.exit(), replay.toString());
        JsonNode got = json(replay);
        JsonNode want = json(CliRun.of(with(explore, "--json"))).get("violation");
        assertEquals(want.get("trace"), got.get("trace"));
        assertEquals(want.get("schedule"), got.get("schedule"));
        assertEquals("VIOLATION", got.get("verdict").asText());
        assertEquals(want.get("kind"), got.get("violation").get("kind"));
        assertEquals(want.get("message"), got.get("violation").get("message"));

        CliRun text = CliRun.of(args);
        assertEquals(Main.EXIT_FAILURE, text.exit(), text.toString());
        assertTrue(text.outLines().get(1).startsWith("VIOLATION: USE_AFTER_FREE: "), text.out());
        assertTrue(text.out().contains("<== USE_AFTER_FREE"), text.out());
    }

    @Test
    void theSameExplorationGivesTheSameBytes() {
        CliRun a = CliRun.of(with(UAF, "--json"));
        CliRun b = CliRun.of(with(UAF, "--json"));
        assertEquals(a.out(), b.out());
        CliRun c = CliRun.of("explore", "gup-fast-vs-truncate", "--json");
        assertEquals(Main.EXIT_OK, c.exit(), c.toString());
        assertEquals(c.out(), CliRun.of("explore", "gup-fast-vs-truncate", "--json").out());
        assertEquals(1, c.outLines().size());
    }

    @Test
    void randomWithASeedGivesTheSameBytes() {
        String[] args = {"explore", "gup-fast-vs-munmap", "--strategy", "random", "--seed", "7", "--schedules", "200",
            "--json"};
        CliRun a = CliRun.of(args);
        assertEquals(Main.EXIT_OK, a.exit(), a.toString());
        assertEquals(a.out(), CliRun.of(args).out());
        JsonNode j = json(a);
        assertEquals("random", j.get("strategy").asText());
        assertEquals(7, j.get("seed").asLong());
        assertEquals(200, j.get("schedules").asLong());
        assertFalse(j.get("exhausted").asBoolean());
    }

    @Test
    void randomAndPctFindTheUseAfterFree() {
        JsonNode random = json(CliRun.of(with(UAF, "--strategy", "random", "--json")));
        assertEquals("USE_AFTER_FREE", random.get("violation").get("kind").asText());
        JsonNode pct = json(CliRun.of(with(UAF, "--strategy", "pct", "--seed", "2", "--json")));
        assertEquals("USE_AFTER_FREE", pct.get("violation").get("kind").asText());
        assertEquals(3, pct.get("depth").asInt());
    }

    @Test
    void schedulesCapsTheExhaustiveSearch() {
        JsonNode j = json(CliRun.of("explore", "gup-fast-vs-munmap", "--schedules", "5", "--json"));
        assertEquals(5, j.get("schedules").asLong());
        assertFalse(j.get("exhausted").asBoolean());
        assertEquals("SAFE", j.get("verdict").asText());
    }

    @Test
    void aPreemptionBoundIsExhaustedWithinTheBound() {
        JsonNode j = json(CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:native", "--kernel", "6.10",
                "--preemption-bound", "1", "--json"));
        assertEquals(1, j.get("preemptionBound").asInt());
        assertTrue(j.get("exhausted").asBoolean());
        JsonNode bound0 = json(CliRun.of(with(UAF, "--preemption-bound", "0", "--json")));
        assertEquals("SAFE", bound0.get("verdict").asText(), "the race needs a preemption");
        JsonNode bound1 = json(CliRun.of(with(UAF, "--preemption-bound", "1", "--json")));
        assertEquals("VIOLATION", bound1.get("verdict").asText());
    }

    static Stream<Arguments> badInputs() {
        String s = "gup-fast-vs-munmap";
        return Stream.of(
                Arguments.of(List.of("explore", "bogus"), "SCENARIO bogus is not known (allowed: gup-fast-vs-munmap, "),
                Arguments.of(List.of("explore"), "SCENARIO is required"),
                Arguments.of(List.of("explore", s, "--mutant", "bogus"), "--mutant bogus is not known (allowed: "
                        + "folded-offset-on-copy, immediate-table-free, intel-rar, no-anon-exclusive-barriers, "
                        + "no-anon-share-pin-check, "
                        + "no-collapse-table-sync, no-early-cow, no-irq-disable, "),
                Arguments.of(List.of("explore", s, "--param", "backing=nfs"), "--param backing=nfs: backing cannot be "
                        + "nfs (allowed: anon, memfd, tmpfs, ext4"),
                Arguments.of(List.of("explore", s, "--param", "nope=1"), "--param nope=1: nope is not a parameter of "
                        + s + " (allowed: backing, pages, table-batch)"),
                Arguments.of(List.of("explore", s, "--param", "pages"), "--param pages: 'pages' is not of the form KEY=VALUE"),
                Arguments.of(List.of("explore", s, "--strategy", "foo"), "--strategy foo is not known (allowed: "
                        + "exhaustive, random, pct)"),
                Arguments.of(List.of("explore", s, "--schedules", "0"), "--schedules 0 is out of range"),
                Arguments.of(List.of("explore", s, "--schedules", "-1"), "--schedules -1 is out of range"),
                Arguments.of(List.of("explore", s, "--strategy", "random", "--seed", "x1"), "--seed x1 is not a whole"),
                Arguments.of(List.of("explore", s, "--seed", "1"), "--seed applies to --strategy random and pct"),
                Arguments.of(List.of("explore", s, "--strategy", "random", "--preemption-bound", "2"),
                        "--preemption-bound applies to --strategy exhaustive"),
                Arguments.of(List.of("explore", s, "--preemption-bound", "-1"), "--preemption-bound -1 is out of range"),
                Arguments.of(List.of("explore", s, "--strategy", "pct", "--depth", "0"), "--depth 0 is out of range"),
                Arguments.of(List.of("explore", s, "--kernel", "5.0"), "--kernel 5.0 is not known"),
                Arguments.of(List.of("explore", s, "--arch", "sparc"), "--arch sparc is not known"),
                Arguments.of(List.of("explore", s, "--bogus"), "unknown option '--bogus'"),
                Arguments.of(List.of("replay", s), "--schedule is required"),
                Arguments.of(List.of("replay", s, "--schedule", "0y3"), "--schedule 0y3: schedule run '0y3' is not of the form "
                        + "THREAD[xCOUNT]"),
                Arguments.of(List.of("replay", s, "--schedule", "7"), "--schedule 7 does not fit " + s),
                Arguments.of(List.of("replay", s, "--schedule", "0x500"), "--schedule 0x500 does not fit " + s),
                Arguments.of(List.of("replay", "nope", "--schedule", "0"), "SCENARIO nope is not known"),
                Arguments.of(List.of("replay", "--bogus"), "unknown option '--bogus'"),
                Arguments.of(List.of("list", "extra"), "unexpected argument 'extra'"),
                Arguments.of(List.of("explore", "s390-gup-fast-vs-upgrade", "--arch", "x86_64:native-rcu"),
                        "--arch x86_64:native-rcu: scenario s390-gup-fast-vs-upgrade needs an architecture whose new "
                                + "address space can grow a page-table level at run time"),
                // Variants a kernel did not have, read from its features (a patch may bring one).
                Arguments.of(List.of("explore", s, "--arch", "x86_64:native"), "--arch x86_64:native is not available "
                        + "with --kernel latest: since a37259732a7d (6.15) x86 frees page tables through RCU"),
                Arguments.of(List.of("explore", s, "--arch", "x86_64:invlpgb", "--kernel", "6.10"), "--arch "
                        + "x86_64:invlpgb is not available with --kernel 6.10: global ASIDs and AMD INVLPGB"),
                Arguments.of(List.of("explore", s, "--arch", "s390:fragments"), "--arch s390:fragments is not "
                        + "available with --kernel latest: since d08d4e7cd6bf (6.7)"),
                Arguments.of(List.of("replay", s, "--schedule", "0", "--arch", "x86_64:rar"), "--arch x86_64:rar is not "
                        + "available with --kernel latest: Intel RAR is a posted series no release has; add it with "
                        + "--patch intel-rar"),
                Arguments.of(List.of("explore", s, "--arch", "x86_64:rar", "--kernel", "6.10", "--mutant", "intel-rar"),
                        "--mutant intel-rar: patch intel-rar does not apply to kernel 6.10"));
    }

    /** PCT's depth is 1 to 1000 in explore and compare alike: a huge depth is refused, not an OutOfMemoryError. */
    @Test
    void pctDepthHasARealBound() {
        for (String depth : List.of("2147483647", "1000000000", "1001")) {
            for (String command : List.of("explore", "compare")) {
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(command.equals("explore") ? List.of("gup-fast-vs-munmap")
                        : List.of("--scenario", "gup-fast-vs-munmap", "--arch", "arm64"));
                args.addAll(List.of("--strategy", "pct", "--schedules", "5", "--depth", depth));
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
                assertEquals(List.of("gupsim " + command + ": --depth " + depth
                        + " is out of range (allowed: 1..1000)"), r.errLines());
            }
        }
        CliRun deepest = CliRun.of(UAF[0], UAF[1], "--strategy", "pct", "--schedules", "5", "--depth", "1000",
                "--json");
        assertEquals(1000, json(deepest).get("depth").asInt(), deepest.toString());
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsOneLineNamingTheFlagAndExitsTwo(List<String> args, String message) {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gupsim " + args.get(0) + ": " + message), r.err());
    }
}
