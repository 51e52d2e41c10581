package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The traces README.md shows are the real output of the commands it shows, trimmed only by
 * {@code ...} lines: every other line of an excerpt is a line of the output, in the same order,
 * and two lines with no {@code ...} between them are neighbours in the output too. Wall times
 * ("0.7 s") are the one thing allowed to differ.
 */
class ReadmeTraceTest {
    private static List<String> readme;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readAllLines(Path.of("..", "README.md"));
    }

    /** Traces #1 and #2 of the compare example, and the replay of #2 that "Replaying one" shows. */
    @Test
    void theComparedTracesAreTheRealOnesAndTheReplayRepeatsThem() {
        CliRun r = CliRun.of(command("$ ./gupsim compare --scenario gup-fast-vs-evict"));
        assertEquals(Main.EXIT_OK, r.exit(), r.err());
        for (String anchor : List.of("<a id=\"trace-1\"></a>", "<a id=\"trace-2\"></a>")) {
            assertExcerpt(anchor, fenced(readme, anchor), fenced(lines(r.out()), anchor));
        }
        List<String> trace2 = fenced(lines(r.out()), "<a id=\"trace-2\"></a>");
        CliRun replay = CliRun.of(command("$ ./gupsim replay gup-fast-vs-evict"));
        assertEquals(Main.EXIT_FAILURE, replay.exit(), replay.err());
        List<String> replayed = lines(replay.out());
        int step = replayed.indexOf(trace2.get(1));
        assertTrue(step >= 0, "the replay prints trace #2's table:\n" + replay.out());
        assertEquals(trace2.subList(1, trace2.size()), replayed.subList(step, step + trace2.size() - 1));
    }

    @Test
    void theExploredTraceIsTheRealOne() {
        String line = "$ ./gupsim explore gup-fast-vs-munmap --arch x86_64:invlpgb --patch immediate-table-free";
        CliRun r = CliRun.of(command(line));
        assertEquals(Main.EXIT_FAILURE, r.exit(), "the README says it finds the use-after-free: " + r.err());
        assertExcerpt(line, indented(line), lines(r.out()));
    }

    /**
     * The arguments of the README's command line that starts with {@code start} (indented as a
     * code block, continued by a trailing backslash), without {@code ./gupsim}.
     */
    private static String[] command(String start) {
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).strip().startsWith(start)) {
                StringBuilder sb = new StringBuilder(readme.get(i).strip());
                while (sb.charAt(sb.length() - 1) == '\\') {
                    sb.setLength(sb.length() - 1);
                    sb.append(' ').append(readme.get(++i).strip());
                }
                List<String> words = new ArrayList<>(Arrays.asList(sb.toString().split("\\s+")));
                return words.subList(2, words.size()).toArray(String[]::new);
            }
        }
        throw new AssertionError("README.md has no line starting with " + start);
    }

    /** The lines of the code block (indented by four spaces) right after the line {@code start}. */
    private static List<String> indented(String start) {
        int i = 0;
        while (!readme.get(i).strip().equals(start)) {
            i++;
        }
        List<String> out = new ArrayList<>();
        for (i++; i < readme.size() && (readme.get(i).isEmpty() || readme.get(i).startsWith("    ")); i++) {
            out.add(readme.get(i).isEmpty() ? "" : readme.get(i).substring(4));
        }
        while (out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The lines of the first ``` block after the line that starts with {@code anchor}. */
    private static List<String> fenced(List<String> lines, String anchor) {
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith(anchor)) {
            i++;
        }
        while (i < lines.size() && !lines.get(i).equals("```")) {
            i++;
        }
        List<String> out = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
            out.add(lines.get(i));
        }
        assertFalse(out.isEmpty(), "no trace after " + anchor);
        return out;
    }

    /** Every line of {@code excerpt} but {@code ...} is in {@code output} in order; neighbours stay neighbours. */
    private static void assertExcerpt(String what, List<String> excerpt, List<String> output) {
        List<String> real = output.stream().map(ReadmeTraceTest::normal).toList();
        int at = 0;
        boolean gap = true;
        for (String line : excerpt) {
            if (line.strip().equals("...")) {
                gap = true;
                continue;
            }
            String want = normal(line);
            int found = gap ? real.subList(at, real.size()).indexOf(want) : (at < real.size()
                    && real.get(at).equals(want) ? 0 : -1);
            assertTrue(found >= 0, what + ": the README's line is not " + (gap ? "in" : "next in")
                    + " the real output (a line left out needs a '...' line):\n" + line + "\nreal output:\n"
                    + String.join("\n", output));
            at += found + 1;
            gap = false;
        }
    }

    /** Every line of {@code text}, empty ones included. */
    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** A line without its trailing blanks and with wall times made alike. */
    private static String normal(String line) {
        return line.stripTrailing().replaceAll("\\d+(\\.\\d+)? s\\)", "N s)");
    }
}
