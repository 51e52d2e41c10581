package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gupsim} launcher, run for real by bash in a copy of the repository's layout, with a
 * stand-in {@code mvn} (which "builds" the jar) and a stand-in JDK 21 (which prints what it was asked
 * to run): the first run says on stderr that it builds and why, and when it is done; a run with
 * the jar up to date says nothing; a failed build shows Maven's output and says so.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "gupsim").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {
    }

    private static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A repository with sources, a pom, the launcher, a stand-in JDK and an mvn running {@code mvnBody}. */
    private static Path repo(Path dir, String mvnBody) throws IOException {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("core/src"));
        Files.createDirectories(root.resolve("cli/src"));
        Files.writeString(root.resolve("core/src/A.java"), "class A {}");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.copy(LAUNCHER, root.resolve("gupsim"));
        script(dir.resolve("bin/mvn"), mvnBody);
        script(dir.resolve("jdk/bin/java"), """
                if [[ $1 == -version ]]; then echo 'openjdk version "21.0.2" 2024-01-16' >&2; exit 0; fi
                echo "java $*\"""");
        return root;
    }

    private static Run run(Path dir, Path root, String... args) throws IOException, InterruptedException {
        return run(dir, root, Map.of(), args);
    }

    private static Run run(Path dir, Path root, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", root.resolve("gupsim").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("PATH", dir.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", dir.resolve("jdk").toString());
        env.remove("GUPSIM_JAVA_OPTS");
        env.putAll(extraEnv);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        int exit = pb.start().waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    private static boolean bash() {
        try {
            return new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0 && Files.isRegularFile(LAUNCHER);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code gupsim list} in a fresh {@link #repo} under {@code dir} whose mvn runs {@code mvnBody}. */
    private static Run firstRun(Path dir, String mvnBody) throws IOException, InterruptedException {
        assumeTrue(bash(), "needs bash and the launcher");
        return run(dir, repo(dir, mvnBody), "list");
    }

    @Test
    void theSerialCollectorOnUpToFourProcessorsUnlessTheUserPicksOne(@TempDir Path dir) throws Exception {
        assumeTrue(bash(), "needs bash and the launcher");
        Path root = repo(dir, "mkdir -p cli/target && echo jar > cli/target/gupsim.jar");
        run(dir, root, "list"); // builds the fake jar
        script(dir.resolve("bin/nproc"), "echo 2");
        Run small = run(dir, root, "list");
        assertTrue(small.out().contains(" -XX:+UseSerialGC "), small.out());
        Run picked = run(dir, root, Map.of("GUPSIM_JAVA_OPTS", "-XX:+UseZGC"), "list");
        assertTrue(!picked.out().contains("UseSerialGC") && picked.out().contains("-XX:+UseZGC"), picked.out());
        script(dir.resolve("bin/nproc"), "echo 8");
        Run big = run(dir, root, "list");
        assertTrue(!big.out().contains("UseSerialGC"), big.out());
    }

    @Test
    void theFirstBuildIsAnnouncedOnStderrAndAnUpToDateJarIsNot(@TempDir Path dir) throws Exception {
        Run first = firstRun(dir, "mkdir -p cli/target && echo jar > cli/target/gupsim.jar");
        Path root = dir.resolve("repo");
        assertEquals(0, first.exit(), first.toString());
        List<String> err = first.err().lines().toList();
        assertEquals(2, err.size(), first.err());
        assertTrue(err.get(0).startsWith("gupsim: building the command line with Maven (cli/target/gupsim.jar is "
                + "not built yet; the first build downloads dependencies"), err.get(0));
        assertTrue(err.get(1).matches("gupsim: built cli/target/gupsim\\.jar in \\d+ s"), err.get(1));
        assertTrue(first.out().startsWith("java ") && first.out().contains("-jar " + root.resolve("cli/target/gupsim.jar")
                + " list"), first.out());

        Run again = run(dir, root, "list");
        assertEquals(0, again.exit(), again.toString());
        assertEquals("", again.err(), "nothing to build, nothing to say");

        Files.writeString(root.resolve("core/src/A.java"), "class A { }");
        Files.setLastModifiedTime(root.resolve("core/src/A.java"), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(root.resolve("cli/target/gupsim.jar")).toMillis() + 5000));
        Run changed = run(dir, root, "list");
        assertTrue(changed.err().startsWith("gupsim: building the command line with Maven (the sources changed"),
                changed.err());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndSaysSo(@TempDir Path dir) throws Exception {
        Run r = firstRun(dir, "echo '[ERROR] COMPILATION ERROR'; exit 1");
        assertEquals(1, r.exit(), r.toString());
        List<String> err = r.err().lines().toList();
        assertTrue(err.get(0).startsWith("gupsim: building the command line with Maven"), r.err());
        assertTrue(r.err().contains("[ERROR] COMPILATION ERROR"), r.err());
        assertTrue(err.get(err.size() - 1).startsWith("gupsim: the build failed"), r.err());
        assertEquals("", r.out());
    }
}
