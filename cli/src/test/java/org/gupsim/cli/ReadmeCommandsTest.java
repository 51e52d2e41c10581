package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What README.md and docs/ show a command printing is what it prints. Every {@code $ ./gupsim}
 * line of explore, replay, pin, list, litmus and kvm-s390-matrix (compare's are left to
 * {@link ReadmeTraceTest} and the figures their owners measure) is run, and every line the page
 * shows after it, but {@code ...} lines and a trailing {@code # comment}, must be a line of the
 * real output, in order; wall times ("0.4 s") may differ. A {@code # exit code N} comment must be
 * the exit code. Every {@code replay: ./gupsim replay ...} line a page shows must reproduce its
 * violation (exit code 1): a user pastes it.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern COMMAND = Pattern.compile("^(\\s*)\\$ \\./gupsim (.*)$");
    private static final Pattern EXIT = Pattern.compile("\\s+#\\s*exit code (\\d+)\\s*$");
    private static final Pattern COMMENT = Pattern.compile("\\s{2,}#\\s.*$");
    private static final Pattern REPLAY = Pattern.compile("replay: \\./gupsim (replay .*)$");
    private static final List<String> RUN = List.of("explore", "replay", "pin", "list", "litmus", "kvm-s390-matrix");

    private static List<Path> pages() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** A line with its wall times made alike and no trailing blanks. */
    private static String normal(String line) {
        return line.stripTrailing().replaceAll("\\d+(\\.\\d+)? s\\b", "N s");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsWhatThePageShows() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = COMMAND.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                String indent = m.group(1);
                StringBuilder command = new StringBuilder(m.group(2));
                int at = i + 1;
                while (command.toString().endsWith("\\")) {
                    command.setLength(command.length() - 1);
                    command.append(' ').append(lines.get(at++).strip());
                }
                List<String> shown = new ArrayList<>();
                for (; at < lines.size(); at++) {
                    String l = lines.get(at);
                    if (l.isBlank() || !l.startsWith(indent) || l.startsWith("```") || COMMAND.matcher(l).matches()) {
                        break;
                    }
                    shown.add(l.substring(indent.length()));
                }
                List<String> args = List.of(command.toString().trim().split("\\s+"));
                if (!RUN.contains(args.get(0)) || args.stream().anyMatch(a -> a.contains("*") || a.equals("|"))) {
                    continue;
                }
                String where = ROOT.relativize(page) + ":" + (i + 1);
                tests.add(DynamicTest.dynamicTest(where + " " + command, () -> check(where, args, shown)));
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    private static void check(String where, List<String> args, List<String> shown) {
        // Paths are relative to the repository's root, where the page runs them; the test runs in cli/.
        String[] run = args.stream().map(a -> a.contains("/") && Files.exists(ROOT.resolve(a))
                ? ROOT.resolve(a).toString() : a).toArray(String[]::new);
        CliRun r = CliRun.of(run);
        List<String> real = new ArrayList<>();
        for (String l : (r.out() + r.err()).split("\n", -1)) {
            real.add(normal(l));
        }
        int from = 0;
        for (String line : shown) {
            Matcher exit = EXIT.matcher(line);
            if (exit.find()) {
                assertEquals(Integer.parseInt(exit.group(1)), r.exit(), where + ": the exit code the page gives");
                line = line.substring(0, exit.start());
            }
            line = COMMENT.matcher(line).replaceFirst("");
            if (line.strip().equals("...")) {
                continue;
            }
            int found = real.subList(from, real.size()).indexOf(normal(line));
            assertTrue(found >= 0, where + ": the page shows a line the command does not print (in this order):\n"
                    + line + "\nreal output:\n" + r.out() + r.err());
            from += found + 1;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReplayLineReproducesItsViolation() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = REPLAY.matcher(lines.get(i).strip());
                if (!m.find() || m.group(1).contains("--classpath")) {
                    continue;   // user code needs the examples' jar, which examples/run checks
                }
                String where = ROOT.relativize(page) + ":" + (i + 1);
                String[] args = m.group(1).trim().split("\\s+");
                tests.add(DynamicTest.dynamicTest(where, () -> {
                    CliRun r = CliRun.of(args);
                    assertEquals(Main.EXIT_FAILURE, r.exit(), where + ": the replay line does not reproduce a "
                            + "violation: " + r.err() + r.out());
                }));
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }
}
