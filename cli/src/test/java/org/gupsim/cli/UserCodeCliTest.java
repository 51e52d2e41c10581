package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' jars on --classpath or GUPSIM_CLASSPATH, and --patch on every command: found like
 * gupsim's own code, named in replay lines, and every bad input answered in one line with exit 2.
 */
class UserCodeCliTest {
    @TempDir
    Path dir;

    /** A jar whose META-INF/services registers {@code providers} as PatchProviders. */
    private String jar(String name, String... providers) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(os)) {
            j.putNextEntry(new JarEntry("META-INF/services/org.gupsim.kernel.PatchProvider"));
            j.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return p.toString();
    }

    private String userJar() throws IOException {
        return jar("user.jar", "org.gupsim.cli.userjar.UserPatches");
    }

    private static void assertUsage(CliRun r, String start) {
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith(start), r.toString());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("internal error"), r.toString());
    }

    @Test
    void aUsersPatchesAreListedFromClasspathOrEnvironment() throws IOException {
        String jar = userJar();
        CliRun r = CliRun.of("--classpath", jar, "list");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().contains("  user-v7-check "), r.out());
        assertTrue(r.out().contains("adds v7 posting; sets gup-fast-folio-check=v7-try-grab"), r.out());
        CliRun env = CliRun.withEnv(Map.of(UserClasspath.ENV, jar), "list");
        assertEquals(r.out(), env.out());
        assertTrue(!CliRun.of("list").out().contains("user-v7-check"), "not without the jar");
    }

    @Test
    void aUsersPatchExploresAndItsReplayLineCarriesTheClasspath() throws IOException {
        String jar = userJar();
        CliRun r = CliRun.of("--classpath", jar, "explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb",
                "--patch", "user-no-check+immediate-table-free");
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.outLines().get(0).endsWith("kernel latest, patches: immediate-table-free, user-no-check; "
                + "strategy exhaustive, up to 1000000 schedules"), r.out());
        String replay = r.outLines().stream().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow()
                .substring("replay: ./gupsim ".length());
        assertTrue(replay.startsWith("--classpath " + jar + " replay gup-fast-vs-munmap "), replay);
        assertTrue(replay.endsWith(" --patch immediate-table-free --patch user-no-check"), replay);
        CliRun again = CliRun.of(replay.split(" "));
        assertEquals(Main.EXIT_FAILURE, again.exit(), again.toString());
        String trace = r.out().substring(r.out().indexOf("step  CPU0"));
        assertTrue(again.out().contains(trace.substring(0, trace.indexOf("schedule:"))), again.out());
    }

    @Test
    void shardsOfARunWithAUsersPatchMergeOnlyWithAClasspath() throws IOException {
        String jar = userJar();
        String[] run = {"--classpath", jar, "explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--patch",
            "user-no-check+immediate-table-free", "--json"};
        CliRun whole = CliRun.of(run);
        assertEquals(Main.EXIT_FAILURE, whole.exit(), whole.toString()); // merge must replay the user's violation
        List<String> merge = new ArrayList<>(List.of("--classpath", jar, "merge"));
        List<String> bare = new ArrayList<>(List.of("merge"));
        for (int i = 1; i >= 0; i--) {
            CliRun shard = CliRun.of(ExploreCommandTest.with(run, "--shard", i + "/2"));
            assertEquals(Main.EXIT_OK, shard.exit(), shard.toString());
            assertEquals(jar, ExploreCommandTest.json(shard).get("classpath").asText());
            Path f = dir.resolve("s" + i + ".json");
            Files.writeString(f, shard.out());
            merge.add(f.toString());
            bare.add(f.toString());
        }
        CliRun merged = CliRun.of(merge.toArray(String[]::new));
        assertEquals(whole.exit(), merged.exit(), merged.toString());
        assertEquals(whole.out(), merged.out());
        CliRun env = CliRun.withEnv(Map.of(UserClasspath.ENV, jar), bare.toArray(String[]::new));
        assertEquals(whole.out(), env.out(), env.toString());
        assertUsage(CliRun.of(bare.toArray(String[]::new)), "gupsim merge: FILE " + bare.get(1)
                + " is a shard of a run with user code (--classpath " + jar + "): give merge the same");
        CliRun plain = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--json", "--shard", "0/2");
        assertTrue(ExploreCommandTest.json(plain).get("classpath").isNull(), plain.out());
    }

    @Test
    void patchAndMutantAreTheSameOnEveryCommand() {
        CliRun plus = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--patch",
                "immediate-table-free+no-pte-recheck", "--json");
        CliRun comma = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--mutant",
                "immediate-table-free,no-pte-recheck", "--json");
        CliRun two = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb", "--mutant",
                "no-pte-recheck", "--patch", "immediate-table-free", "--json");
        assertTrue(plus.out().contains("\"patches\": [\"immediate-table-free\", \"no-pte-recheck\"]"), plus.out());
        assertEquals(plus.out(), comma.out());
        assertEquals(plus.out(), two.out());
        CliRun pin = CliRun.of("pin", "--patch", "no-irq-disable", "--backing", "anon", "--map", "private", "--api",
                "pup-fast", "--json");
        assertEquals(Main.EXIT_OK, pin.exit(), pin.toString());
        assertTrue(pin.out().contains("\"kernel\": \"latest\", \"patches\": [\"no-irq-disable\"]"), pin.out());
        CliRun compare = CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch", "x86_64:invlpgb",
                "--patch", "none", "--mutant", "immediate-table-free", "--format", "json");
        assertEquals(Main.EXIT_OK, compare.exit(), compare.toString());
        assertTrue(compare.out().contains("\"patchSets\": [\n    [ ],\n    [\n      \"immediate-table-free\"\n    ]\n  ]"),
                compare.out());
        CliRun replay = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0x11,1x28,0x3", "--arch",
                "x86_64:invlpgb", "--patch", "immediate-table-free");
        assertEquals(Main.EXIT_FAILURE, replay.exit(), replay.toString());
    }

    @Test
    void badPatchesAreOneLineNamingTheFlag() throws IOException {
        String[] base = {"explore", "gup-fast-vs-munmap", "--patch"};
        assertUsage(CliRun.of(with(base, "")), "gupsim explore: --patch needs a value (allowed: ");
        assertUsage(CliRun.of(with(base, "no-irq-disable++no-pte-recheck")),
                "gupsim explore: --patch no-irq-disable++no-pte-recheck: '' (an empty name) is not known");
        assertUsage(CliRun.of(with(base, "ñ-patch")), "gupsim explore: --patch ñ-patch is not known (allowed: ");
        assertUsage(CliRun.of("explore", "gup-fast-vs-munmap", "--mutant", "bogus"),
                "gupsim explore: --mutant bogus is not known (allowed: ");
        String jar = userJar();
        assertUsage(CliRun.of("--classpath", jar, "explore", "gup-fast-vs-munmap", "--patch", "user-only-6-5"),
                "gupsim explore: --patch user-only-6-5: patch user-only-6-5 does not apply to kernel latest: "
                        + "it changes code only 6.5 has");
        assertUsage(CliRun.of("--classpath", jar, "pin", "--backing", "anon", "--map", "private", "--api", "pup",
                "--patch", "user-v7-check", "--patch", "user-no-check"),
                "gupsim pin: --patch user-no-check: patches user-no-check and user-v7-check set feature "
                        + "gup-fast-folio-check differently (none and v7-try-grab)");
        assertUsage(CliRun.of("--classpath", jar, "compare", "--kernel", "6.5", "--kernel", "6.10", "--mutant",
                "user-only-6-5"), "gupsim compare: --mutant user-only-6-5: patch user-only-6-5 does not apply to "
                + "kernel 6.10");
        assertUsage(CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "0x1", "--patch", "none"),
                "gupsim replay: --patch none is not known");
    }

    @Test
    void badClasspathsAreOneLineNamingTheFlag() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a jar");
        assertUsage(CliRun.of("--classpath", "", "list"), "gupsim: --classpath is empty (allowed: jar files");
        assertUsage(CliRun.of("--classpath", dir + "::" + dir, "list"), "gupsim: --classpath " + dir + "::" + dir
                + ": an empty entry (allowed: ");
        assertUsage(CliRun.of("--classpath", dir.resolve("nowhere.jar").toString(), "list"),
                "gupsim: --classpath " + dir.resolve("nowhere.jar") + ": '" + dir.resolve("nowhere.jar")
                        + "' does not exist");
        assertUsage(CliRun.of("--classpath", text.toString(), "list"), "gupsim: --classpath " + text + ": '" + text
                + "' is neither a jar nor a directory");
        assertUsage(CliRun.of("--classpath", dir.resolve("résumé.jar").toString(), "list"),
                "gupsim: --classpath " + dir.resolve("résumé.jar") + ": '");
        assertUsage(CliRun.withEnv(Map.of(UserClasspath.ENV, ""), "list"), "gupsim: GUPSIM_CLASSPATH is empty");
        String missing = jar("missing.jar", "com.example.NotThere");
        assertUsage(CliRun.of("--classpath", missing, "list"), "gupsim: --classpath " + missing
                + ": org.gupsim.kernel.PatchProvider: Provider com.example.NotThere not found");
        String twice = jar("twice.jar", "org.gupsim.cli.userjar.DuplicatePatches");
        assertUsage(CliRun.of("--classpath", twice, "list"), "gupsim: --classpath " + twice
                + ": two patches are called no-irq-disable");
        assertUsage(CliRun.of("--classpath"), "gupsim: --classpath needs a value");
    }

    private static String[] with(String[] base, String last) {
        List<String> a = new ArrayList<>(List.of(base));
        a.add(last);
        return a.toArray(String[]::new);
    }
}
