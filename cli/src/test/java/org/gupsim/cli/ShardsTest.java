package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shard I/N}, {@code gupsim merge}, and Ctrl-C, through the real command line: shards
 * merged give the unsharded bytes, bad shard input is one line and exit 2, and SIGINT prints a
 * partial result and exits 130 (those run the CLI as a separate JVM, as a job engine or a shell would).
 */
class ShardsTest {
    /** A small search: every shard runs all of it as its root task. */
    static final String[] SMALL = {"explore", "gup-fast-vs-evict", "--arch", "arm64", "--mutant", "split-rcu-flavors",
        "--kernel", "6.5", "--json"};
    /** 11,990 executions: the search splits once, and the shards share the root's children. */
    static final String[] SPLIT = {"explore", "gup-fast-vs-evict", "--param", "pages=3", "--arch", "arm64",
        "--kernel", "6.5", "--json"};
    /** Six cells, two with a violation (and so a trace to replay when merging). */
    static final String[] MATRIX = {"compare", "--scenario", "gup-fast-vs-munmap", "--scenario", "gup-fast-vs-evict",
        "--arch", "x86_64:native", "--arch", "arm64", "--kernel", "6.5", "--mutant", "none", "--mutant",
        "no-irq-disable"};

    @Test
    void exploreShardsMergeToTheUnshardedBytes(@TempDir Path dir) throws IOException {
        CliRun whole = CliRun.of(SMALL);
        assertEquals(Main.EXIT_FAILURE, whole.exit(), whole.toString()); // a use-after-free
        List<String> files = new ArrayList<>(List.of("merge"));
        for (int i = 2; i >= 0; i--) {
            CliRun shard = CliRun.of(ExploreCommandTest.with(SMALL, "--shard", i + "/3", "--threads", "" + (1 + i)));
            assertEquals(Main.EXIT_OK, shard.exit(), shard.toString());
            assertEquals("shard", ExploreCommandTest.json(shard).get("gupsim").asText());
            Path f = dir.resolve("s" + i + ".json");
            Files.writeString(f, shard.out());
            files.add(f.toString());
        }
        CliRun merged = CliRun.of(files.toArray(String[]::new));
        assertEquals(whole.exit(), merged.exit(), merged.toString());
        assertEquals(whole.out(), merged.out());
        assertEquals("", merged.err());
    }

    @Test
    void compareShardsMergeToTheUnshardedReport(@TempDir Path dir) throws IOException {
        for (String format : List.of("json", "markdown")) {
            String[] args = ExploreCommandTest.with(MATRIX, "--format", format);
            CliRun whole = CliRun.of(args);
            assertEquals(Main.EXIT_OK, whole.exit(), whole.toString());
            Path s0 = dir.resolve(format + "0.json");
            Path s1 = dir.resolve(format + "1.json");
            assertEquals(Main.EXIT_OK, CliRun.of(ExploreCommandTest.with(args, "--shard", "1/2", "--out",
                    s1.toString())).exit());
            assertEquals(Main.EXIT_OK, CliRun.of(ExploreCommandTest.with(args, "--shard", "0/2", "--threads", "1",
                    "--out", s0.toString())).exit());
            CliRun merged = CliRun.of("merge", s1.toString(), s0.toString());
            assertEquals(Main.EXIT_OK, merged.exit(), merged.toString());
            assertEquals(whole.out(), merged.out(), format);
        }
    }

    /** The documented example: shards as separate processes, merged, byte for byte the unsharded run. */
    @Test
    void shardsAsProcessesMergeToTheUnshardedBytes(@TempDir Path dir) throws Exception {
        List<Process> shards = new ArrayList<>();
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int i = 0; i < 2; i++) {
            Path f = dir.resolve("shard-" + i + ".json");
            shards.add(gupsim(ExploreCommandTest.with(SPLIT, "--threads", "1", "--shard", i + "/2"))
                    .redirectOutput(f.toFile()).start());
            merge.add(f.toString());
        }
        CliRun whole = CliRun.of(SPLIT);
        for (Process p : shards) {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonNode part = ExploreCommandTest.json(new CliRun(0, Files.readString(dir.resolve("shard-1.json")), ""));
        assertTrue(part.get("part").get("tasks").size() > 2, "the search was split: " + part.get("part").get("tasks"));
        CliRun merged = CliRun.of(merge.toArray(String[]::new));
        assertEquals(Main.EXIT_OK, merged.exit(), merged.toString());
        assertEquals(whole.out(), merged.out());
        assertEquals(11_808, ExploreCommandTest.json(merged).get("schedules").asInt());
    }

    @Test
    void badShardInputIsOneLineAndExitsTwo(@TempDir Path dir) throws IOException {
        String allowed = " (allowed: I/N with N from 1 to 1024 and I from 0 to N-1, e.g. 0/4)";
        for (String cmd : List.of("explore", "compare")) {
            List<String> base = cmd.equals("explore") ? List.of("explore", "gup-fast-vs-munmap")
                    : List.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch", "arm64");
            for (String[] bad : List.of(new String[] {"4/4", "is out of range"}, new String[] {"x", "is not of the form I/N"},
                    new String[] {"", "is not of the form I/N"}, new String[] {"\u0661/2", "is not of the form I/N"},
                    new String[] {"0/0", "is out of range"}, new String[] {"0/1025", "is out of range"},
                    new String[] {"+1/2", "is not of the form I/N"})) {
                List<String> args = new ArrayList<>(base);
                args.addAll(List.of("--shard", bad[0]));
                assertUsage(CliRun.of(args.toArray(String[]::new)), cmd, "--shard " + bad[0] + " " + bad[1] + allowed);
            }
        }
        assertUsage(CliRun.of("explore", "gup-fast-vs-munmap", "--strategy", "random", "--shard", "0/2"), "explore",
                "--shard applies to --strategy exhaustive only, not random");
        Path s0 = dir.resolve("s0.json");
        Path s1 = dir.resolve("s1.json");
        Path other = dir.resolve("other.json");
        Files.writeString(s0, CliRun.of(ExploreCommandTest.with(SMALL, "--shard", "0/2")).out());
        Files.writeString(s1, CliRun.of(ExploreCommandTest.with(SMALL, "--shard", "1/2")).out());
        Files.writeString(other, CliRun.of("explore", "gup-fast-vs-munmap", "--json", "--shard", "1/2").out());
        Path report = dir.resolve("report.json");
        Files.writeString(report, CliRun.of(SMALL).out());
        assertUsage(CliRun.of("merge", s0.toString()), "merge", "shard 1/2 is missing");
        assertUsage(CliRun.of("merge", s0.toString(), s0.toString(), s1.toString()), "merge", "shard 0/2 is given twice");
        assertUsage(CliRun.of("merge", s0.toString(), other.toString()), "merge", "FILE " + other
                + " is a shard of another run than " + s0);
        assertUsage(CliRun.of("merge", report.toString()), "merge", "FILE " + report + " is not a gupsim shard file");
        assertUsage(CliRun.of("merge", dir.resolve("none.json").toString()), "merge", "FILE "
                + dir.resolve("none.json") + " cannot be read: no such file (allowed: the files");
        assertUsage(CliRun.of("merge"), "merge", "FILE is required");
        // Empty, binary, truncated and endless files: not a shard file, never read whole first.
        Path empty = Files.createFile(dir.resolve("empty.json"));
        Path binary = Files.write(dir.resolve("binary.json"), new byte[] {0, 1, 2, (byte) 0xff, '{'});
        Path truncated = Files.writeString(dir.resolve("truncated.json"),
                Files.readString(s0).substring(0, (int) Files.size(s0) / 2));
        for (Path bad : List.of(empty, binary, truncated, Path.of("/dev/zero"))) {
            assertUsage(CliRun.of("merge", bad.toString()), "merge", "FILE " + bad + " is not a gupsim shard file");
        }
        assertUsage(CliRun.of("merge", dir.toString()), "merge", "FILE " + dir + " cannot be read: ");
        // Two shard files pasted into one, or anything after the one JSON value: not read as its first part.
        Path both = Files.writeString(dir.resolve("both.json"), Files.readString(s0) + Files.readString(s1));
        Path junk = Files.writeString(dir.resolve("junk.json"), Files.readString(s0) + "junk\n");
        for (Path bad : List.of(both, junk)) {
            assertUsage(CliRun.of("merge", bad.toString(), s1.toString()), "merge", "FILE " + bad
                    + " is not a gupsim shard file");
        }
        // A file of another format version says so; one whose part is another shard than it says is refused.
        String text = Files.readString(s0);
        Path v2 = Files.writeString(dir.resolve("v2.json"), text.replace("\"version\":1,", "\"version\":2,"));
        assertUsage(CliRun.of("merge", v2.toString(), s1.toString()), "merge", "FILE " + v2
                + " is a shard file of format version 2, which this gupsim does not read (allowed: ");
        Path relabelled = Files.writeString(dir.resolve("relabelled.json"), text.replaceFirst("\"shard\":0,",
                "\"shard\":1,"));
        assertUsage(CliRun.of("merge", s0.toString(), relabelled.toString()), "merge", "FILE " + relabelled
                + " is not a consistent shard file: it says shard 1/2, its part 0/2");
        Path outOfRange = Files.writeString(dir.resolve("range.json"), text.replace("\"shard\":0,", "\"shard\":7,"));
        assertUsage(CliRun.of("merge", outOfRange.toString(), s1.toString()), "merge", "FILE " + outOfRange
                + " is not a consistent shard file: it says shard 7/2");
    }

    @Test
    void ctrlCPrintsThePartialResultAndExits130() throws Exception {
        Process p = gupsim("explore", "gup-fast-vs-munmap", "--arch", "x86_64:paravirt", "--param", "pages=3",
                "--param", "table-batch=fail", "--json", "--threads", "2").start();
        awaitProgress(p, "exploring: [1-9]");
        interrupt(p);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(Main.EXIT_INTERRUPTED, p.exitValue());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode j = ExploreCommandTest.json(new CliRun(0, out, ""));
        assertTrue(j.get("interrupted").asBoolean(), out);
        assertFalse(j.get("exhausted").asBoolean(), out);
        assertEquals("SAFE", j.get("verdict").asText(), out);
        assertTrue(j.get("schedules").asLong() > 0, out);
    }

    @Test
    void ctrlCDuringACompareWritesThePartialReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.md");
        Process p = gupsim("compare", "--scenario", "gup-fast-vs-munmap:pages=3,table-batch=fail", "--scenario",
                "gup-fast-vs-munmap", "--arch", "x86_64:paravirt", "--arch", "arm64", "--threads", "1", "--budget",
                "1000", "--format", "markdown", "--out", out.toString()).start();
        awaitProgress(p, "cells, [1-9]");
        interrupt(p);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(Main.EXIT_INTERRUPTED, p.exitValue());
        String report = Files.readString(out);
        assertTrue(report.contains(", partial: interrupted)"), report);
    }

    private static void assertUsage(CliRun r, String command, String message) {
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gupsim " + command + ": " + message), r.err());
    }

    /** The CLI as a separate JVM on this test's class path, stderr said to be a terminal. */
    private static ProcessBuilder gupsim(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "-D" + Main.STDERR_TERMINAL_PROPERTY + "=true",
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Waits until the progress line matches {@code regex}: the command has started and owns Ctrl-C. */
    private static void awaitProgress(Process p, String regex) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        StringBuilder seen = new StringBuilder();
        int c;
        while ((c = err.read()) >= 0) {
            seen.append((char) c);
            if (c == '\r' && pattern.matcher(seen).find()) {
                return;
            }
        }
        throw new AssertionError("no progress line: " + seen);
    }

    private static void interrupt(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, kill.exitValue());
    }
}
