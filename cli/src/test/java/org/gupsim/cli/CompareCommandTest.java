package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompareCommandTest {
    /** A small matrix with a disagreement: evict under split RCU flavours on 6.5. */
    static final String[] PAIR = {"compare", "--scenario", "gup-fast-vs-evict", "--arch", "x86_64:native", "--arch",
        "arm64", "--kernel", "6.5", "--mutant", "split-rcu-flavors"};

    static String[] with(String... more) {
        return ExploreCommandTest.with(PAIR, more);
    }

    @Test
    void textIsATableWithRowsPerVariantAndTheReferencedTrace() {
        CliRun r = CliRun.of(PAIR);
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals("gupsim compare: 1 scenarios x 2 variants, kernel 6.5, patches split-rcu-flavors (2 cells); "
                + "strategy exhaustive; up to 10000 schedules per cell (budget 10 = 10 x 1000 schedules, not a time "
                + "limit)", lines.get(0));
        int head = lines.indexOf("kernel 6.5, patches split-rcu-flavors");
        assertTrue(lines.get(head + 1).matches("variant +gup-fast-vs-evict"), lines.get(head + 1));
        assertTrue(lines.get(head + 3).matches("x86_64:native +SAFE \\(\\d+, all\\)"), lines.get(head + 3));
        assertEquals("arm64:4k-48    UAF address-space (trace #1)", lines.get(head + 4));
        // Columns line up: every cell of the column starts where its heading does.
        assertEquals(lines.get(head + 1).indexOf("gup-fast"), lines.get(head + 4).indexOf("UAF"));
        assertTrue(r.out().contains("wall time: "), "text shows wall times");
        assertTrue(r.out().contains("- gup-fast-vs-evict, kernel 6.5, patches split-rcu-flavors: SAFE on x86_64:native; "
                + "VIOLATION USE_AFTER_FREE address-space on arm64:4k-48"), r.out());
        // The order a reader asks in: verdicts, disagreements, outcomes, then wall times, then traces.
        int disagreements = lines.indexOf("Disagreements:");
        int outcomes = lines.stream().filter(l -> l.startsWith("Outcomes per scenario")).findFirst()
                .map(lines::indexOf).orElseThrow();
        int wall = lines.stream().filter(l -> l.startsWith("wall time: ")).findFirst().map(lines::indexOf)
                .orElseThrow();
        int trace = lines.stream().filter(l -> l.startsWith("trace #1: ")).findFirst().map(lines::indexOf)
                .orElseThrow();
        assertTrue(head < disagreements && disagreements < outcomes && outcomes < wall && wall < trace, r.out());
        assertTrue(lines.get(outcomes + 3).matches("outcome +x86_64:native +arm64:4k-48"), lines.get(outcomes + 3));
        assertTrue(r.out().contains("differs in flush style: IPI (x86_64:native) vs BROADCAST (arm64:4k-48)"), r.out());
        assertTrue(r.out().contains("trace #1: gup-fast-vs-evict on arm64:4k-48, kernel 6.5, patches split-rcu-flavors"),
                r.out());
        assertTrue(r.out().contains("<== USE_AFTER_FREE"), r.out());
        String replay = lines.stream().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow().substring(8);
        // The printed command replays: the same trace, through gupsim replay.
        String[] args = replay.replace("./gupsim ", "").split(" ");
        CliRun again = CliRun.of(args);
        assertEquals(Main.EXIT_FAILURE, again.exit(), again.toString());
        assertTrue(again.out().contains("VIOLATION: USE_AFTER_FREE"), again.out());
    }

    @Test
    void markdownIsTheSameTable() {
        CliRun r = CliRun.of(with("--format", "markdown"));
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("| variant | gup-fast-vs-evict |"), r.out());
        assertTrue(lines.contains("| --- | --- |"), r.out());
        assertTrue(lines.contains("| `arm64:4k-48` | **UAF address-space ([trace #1](#trace-1))** |"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\| `x86_64:native` \\| SAFE \\(\\d+, all\\) \\|")), r.out());
        assertTrue(r.out().contains("<a id=\"trace-1\"></a>"), r.out());
        assertFalse(r.out().contains("Wall time"), "markdown has timings only with --timings");
        assertTrue(CliRun.of(with("--format", "markdown", "--timings")).out().contains("Wall time"));
    }

    @Test
    void jsonIsTheReportModelAndTheSameBytesEveryTime() {
        CliRun a = CliRun.of(with("--format", "json"));
        CliRun b = CliRun.of(with("--format", "json", "--threads", "1"));
        assertEquals(Main.EXIT_OK, a.exit(), a.toString());
        assertEquals(a.out(), b.out());
        JsonNode j = ExploreCommandTest.json(a);
        assertEquals(2, j.get("cells").size());
        JsonNode arm = j.get("cells").get(1);
        assertEquals("arm64:4k-48", arm.get("variant").asText());
        assertEquals("VIOLATION", arm.get("verdict").asText());
        assertEquals("USE_AFTER_FREE", arm.get("violation").get("kind").asText());
        assertEquals(1, arm.get("trace").asInt());
        assertEquals("BROADCAST", arm.get("mechanisms").get("flushStyle").asText());
        assertEquals("split-rcu-flavors", arm.get("patches").get(0).asText());
        assertFalse(arm.has("wallMillis"));
        JsonNode d = j.get("disagreements").get(0);
        assertEquals("FLUSH_STYLE", d.get("mechanisms").get(0).asText());
        JsonNode t = j.get("traces").get(0);
        assertEquals(1, t.get("number").asInt());
        assertEquals(1, t.get("cell").asInt());
        assertTrue(t.get("rows").size() > 5);
        assertTrue(t.get("replay").asText().startsWith("./gupsim replay gup-fast-vs-evict --schedule "));
        JsonNode timed = ExploreCommandTest.json(CliRun.of(with("--format", "json", "--timings")));
        assertTrue(timed.get("cells").get(0).get("wallMillis").isIntegralNumber());
        assertTrue(timed.get("wallMillis").isIntegralNumber());
    }

    @Test
    void outWritesTheReportToAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("report.md");
        CliRun r = CliRun.of(with("--format", "markdown", "--out", f.toString()));
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(Files.readString(f).contains("| variant | gup-fast-vs-evict |"));
    }

    @Test
    void htmlIsOneSelfContainedPageWithTheTraceLinked(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("report.html");
        CliRun r = CliRun.of(with("--format", "html", "--out", f.toString()));
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        String html = Files.readString(f);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(80, html.length())));
        assertTrue(html.contains("id=\"trace-1\""), "the violation's trace section is there");
        assertTrue(html.contains("href=\"#trace-1\""), "the cell links to it");
        assertTrue(html.contains("<svg"), "with its swimlane");
        assertFalse(html.contains("http://") || html.contains("https://"), "no network references");
    }

    @Test
    void theBudgetBecomesAScheduleCapAndSchedulesOverridesIt() {
        JsonNode j = ExploreCommandTest.json(CliRun.of(with("--format", "json", "--budget", "3")));
        assertEquals(3, j.get("budgetSeconds").asInt());
        assertEquals(3000, j.get("scheduleCap").asInt());
        JsonNode capped = ExploreCommandTest.json(CliRun.of("compare", "--scenario", "gup-fast-vs-evict", "--arch",
                "x86_64:native-rcu", "--schedules", "7", "--format", "json"));
        assertEquals(7, capped.get("scheduleCap").asInt());
        assertEquals(0, capped.get("budgetSeconds").asInt());
        assertEquals(7, capped.get("cells").get(0).get("schedules").asInt());
        assertFalse(capped.get("cells").get(0).get("exhausted").asBoolean());
        JsonNode random = ExploreCommandTest.json(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch",
                "arm64", "--strategy", "random", "--budget", "1", "--format", "json"));
        assertEquals("random", random.get("strategy").asText());
        assertEquals(1, random.get("seed").asInt());
        assertTrue(random.get("preemptionBound").isNull());
        assertEquals(1000, random.get("cells").get(0).get("schedules").asInt());
    }

    @Test
    void theProgressBarIsDrawnOnStderrExactlyWhenStderrIsATerminal() {
        CliRun quiet = CliRun.of(PAIR);
        assertEquals("", quiet.err(), "no progress bar when stderr is not a terminal");
        CliRun drawn = CliRun.onTerminal(PAIR);
        assertEquals(Main.EXIT_OK, drawn.exit(), drawn.toString());
        assertTrue(drawn.err().contains("\r[##############################] 2/2 cells"), drawn.err());
        assertTrue(drawn.err().endsWith("\r"), "the bar is erased at the end");
        assertEquals(quiet.out().replaceAll("\\d+\\.\\d+ s", "T"), drawn.out().replaceAll("\\d+\\.\\d+ s", "T"),
                "stdout is the same either way");
    }

    @Test
    void aPreemptionBoundIsStatedAndMarksTheCellsItLimits() {
        CliRun r = CliRun.of("compare", "--preemption-bound", "0", "--scenario", "gup-fast-vs-munmap", "--arch",
                "x86_64:invlpgb", "--mutant", "immediate-table-free", "--strategy", "exhaustive");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("strategy exhaustive with at most 0 preemptions per schedule"), lines.get(0));
        assertTrue(lines.get(5).matches("x86_64:invlpgb +SAFE \\(\\d+, all \u22640 preemptions\\)"), lines.get(5));
        JsonNode j = ExploreCommandTest.json(CliRun.of("compare", "--preemption-bound", "0", "--scenario",
                "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--format", "json"));
        assertEquals("exhaustive", j.get("strategy").asText());
        assertEquals(0, j.get("preemptionBound").asInt());
        assertEquals(0, j.get("cells").get(0).get("preemptionBound").asInt());
        assertTrue(j.get("cells").get(0).get("text").asText().endsWith("all \u22640 preemptions)"));
    }

    @Test
    void repeatedAxisEntriesAreOneEach() {
        JsonNode j = ExploreCommandTest.json(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--scenario",
                "gup-fast-vs-munmap:pages=1", "--arch", "arm64", "--mutant", "none", "--mutant", "none", "--kernel",
                "6.5", "--kernel", "6.5", "--format", "json"));
        assertEquals(1, j.get("scenarios").size());
        assertEquals(1, j.get("patchSets").size());
        assertEquals(1, j.get("kernels").size());
        assertEquals(1, j.get("cells").size());
    }

    @Test
    void theSchedulesHelpSaysWhatTheCapIsForCompare() {
        String help = CliRun.of("compare", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Schedule cap per cell, instead of the one --budget gives (default: budget x 1000 "
                + "= 10000)"), help);
        assertFalse(help.contains("1000000"), help);
        assertTrue(CliRun.of("explore", "--help").out().replaceAll("\\s+", " ").contains("1000000 for exhaustive"));
    }

    @Test
    void anOutFileThatCannotBeWrittenIsRefusedBeforeAnyCellRuns(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.onTerminal("compare", "--out", "/nonexistent/dir/x.html", "--format", "html");
        assertEquals(Main.EXIT_USAGE, missing.exit(), missing.toString());
        assertEquals("gupsim compare: --out /nonexistent/dir/x.html: directory /nonexistent/dir does not exist\n",
                missing.err(), "one line, and no progress bar: no cell ran");
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun notDir = CliRun.of("compare", "--out", file.resolve("x.md").toString());
        assertEquals(Main.EXIT_USAGE, notDir.exit());
        assertTrue(notDir.err().endsWith("is not a directory\n"), notDir.err());
        CliRun isDir = CliRun.of("compare", "--out", dir.toString());
        assertEquals(Main.EXIT_USAGE, isDir.exit());
        assertTrue(isDir.err().contains("is a directory"), isDir.err());
    }

    @Test
    void patchSetsAndScenarioParametersAreAxes() {
        JsonNode j = ExploreCommandTest.json(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap:table-batch=fail",
                "--arch", "x86_64:invlpgb", "--patch", "none", "--mutant", "no-irq-disable+split-rcu-flavors",
                "--format", "json"));
        assertEquals("fail", j.get("scenarios").get(0).get("params").get("table-batch").asText());
        assertEquals(2, j.get("cells").size());
        assertEquals("SAFE", j.get("cells").get(0).get("verdict").asText());
        assertEquals(0, j.get("cells").get(0).get("patches").size());
        assertEquals("[\"no-irq-disable\",\"split-rcu-flavors\"]", j.get("cells").get(1).get("patches").toString());
        assertEquals("VIOLATION", j.get("cells").get(1).get("verdict").asText());
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(new String[] {"compare", "--bogus"}, "gupsim compare: unknown option '--bogus' (allowed: "),
                Arguments.of(new String[] {"compare", "--format", "xml"},
                        "gupsim compare: --format xml is not known (allowed: text, markdown, json, html)"),
                Arguments.of(new String[] {"compare", "--scenario", "nope"},
                        "gupsim compare: --scenario nope is not known (allowed: gup-fast-vs-munmap"),
                Arguments.of(new String[] {"compare", "--scenario", "gup-fast-vs-munmap:pages=9"},
                        "gupsim compare: --scenario gup-fast-vs-munmap:pages=9: pages must be one of "),
                Arguments.of(new String[] {"compare", "--arch", "vax"},
                        "gupsim compare: --arch vax is not known (allowed: arm64, ppc64, s390, x86_64)"),
                Arguments.of(new String[] {"compare", "--arch", "x86_64:fast"}, "gupsim compare: --arch x86_64:fast: "),
                // Only when no kernel of the comparison had the variant (else N/A cells on those that lacked it).
                Arguments.of(new String[] {"compare", "--arch", "arm64:4k-52", "--kernel", "6.4", "--kernel", "6.5"},
                        "gupsim compare: --arch arm64:4k-52 is not available with --kernel 6.4: 52-bit virtual "),
                Arguments.of(new String[] {"compare", "--kernel", "2.6"},
                        "gupsim compare: --kernel 2.6 is not known (allowed: 6.4, "),
                Arguments.of(new String[] {"compare", "--mutant", "no-such"},
                        "gupsim compare: --mutant no-such is not known (allowed: none, folded-offset-on-copy, "),
                Arguments.of(new String[] {"compare", "--mutant", "none+split-rcu-flavors"},
                        "gupsim compare: --mutant none+split-rcu-flavors: none cannot be combined with patches"),
                Arguments.of(new String[] {"compare", "--scenario", "gup-fast-vs-munmap:pages=1,pages=2"},
                        "gupsim compare: --scenario gup-fast-vs-munmap:pages=1,pages=2: pages is given twice "
                                + "(1 and 2)"),
                Arguments.of(new String[] {"compare", "--strategy", "random", "--preemption-bound", "1"},
                        "gupsim compare: --preemption-bound applies to --strategy exhaustive only, not random"),
                Arguments.of(new String[] {"compare", "--budget", "0"},
                        "gupsim compare: --budget 0 is out of range (allowed: 1 to 86400)"),
                Arguments.of(new String[] {"compare", "--budget", "2", "--schedules", "9"},
                        "gupsim compare: --budget and --schedules both set the schedule cap per cell; give one"),
                Arguments.of(new String[] {"compare", "--threads", "x"},
                        "gupsim compare: --threads x is not a whole number (allowed: 1 to 1024)"),
                Arguments.of(new String[] {"compare", "--strategy", "bfs"},
                        "gupsim compare: --strategy bfs is not known (allowed: exhaustive, random, pct)"));
    }

    @ParameterizedTest
    @MethodSource
    void badInput(String[] args, String start) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith(start), r.err());
    }
}
