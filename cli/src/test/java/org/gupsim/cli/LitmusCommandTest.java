package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LitmusCommandTest {
    static final String SB = "../litmus-tests/SB.litmus";
    static final String MP = "../litmus-tests/MP+wmb+rmb.litmus";

    @TempDir
    Path tmp;

    @Test
    void printsHerdsBlockForOneModel() {
        CliRun r = CliRun.of("litmus", SB, "--model", "tso");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals(List.of("Model tso", "Test SB Allowed", "States 4", "0:r0=0; 1:r0=0;", "0:r0=0; 1:r0=1;",
                "0:r0=1; 1:r0=0;", "0:r0=1; 1:r0=1;", "Ok", "Witnesses", "Positive: 1 Negative: 3",
                "Condition exists (0:r0=0 /\\ 1:r0=0)", "Observation SB Sometimes 1 3"), r.outLines());
    }

    @Test
    void severalTestsAndModelsEndInAVerdictTable() {
        CliRun r = CliRun.of("litmus", SB, MP, "--model", "sc", "--model", "arm64");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertTrue(r.out().endsWith("test        sc         arm64\n"
                + "----------  ---------  ---------\n"
                + "SB          Never      Sometimes\n"
                + "MP+wmb+rmb  Never      Never\n"), r.out());
    }

    @Test
    void jsonIsOneObjectPerTestAndModel() throws IOException {
        CliRun r = CliRun.of("litmus", SB, "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> lines = r.outLines().stream().filter(l -> !l.isEmpty()).toList();
        assertEquals(4, lines.size(), r.out());
        JsonNode power = new ObjectMapper().readTree(lines.get(3));
        assertEquals("SB", power.get("test").asText());
        assertEquals("power", power.get("model").asText());
        assertEquals("Sometimes", power.get("result").asText());
        assertEquals("0", power.get("states").get(0).get("1:r0").asText());
        assertEquals(r.out(), CliRun.of("litmus", SB, "--json").out(), "deterministic");
    }

    private static void usage(CliRun r, String expected) {
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals("", r.out(), "nothing on stdout");
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals(expected, r.errLines().get(0));
    }

    @Test
    void badModelsAreRefusedNamingTheAllowedOnes() {
        String allowed = " is not known (allowed: sc, tso, arm64, power)";
        usage(CliRun.of("litmus", SB, "--model", "alpha"), "gupsim litmus: --model 'alpha'" + allowed);
        usage(CliRun.of("litmus", SB, "--model", ""), "gupsim litmus: --model needs a value (allowed: sc, tso, arm64, "
                + "power)");
        usage(CliRun.of("litmus", SB, "--model", "arm64,power"), "gupsim litmus: --model 'arm64,power'" + allowed);
        usage(CliRun.of("litmus", SB, "--model", "armé64"), "gupsim litmus: --model 'armé64'" + allowed);
        usage(CliRun.of("litmus", SB, "--model", "ARM64"), "gupsim litmus: --model 'ARM64'" + allowed);
    }

    @Test
    void missingUnreadableAndUnparsableFilesAreRefusedWithFileAndLine() throws IOException {
        usage(CliRun.of("litmus"), "gupsim litmus: a litmus FILE is needed, e.g. gupsim litmus litmus-tests/SB.litmus");
        String missing = tmp.resolve("nope.litmus").toString();
        String allowed = "; allowed: " + LitmusCommand.FILE_ALLOWED + ")";
        usage(CliRun.of("litmus", missing), "gupsim litmus: " + missing + ": cannot be read (no such file" + allowed);
        usage(CliRun.of("litmus", tmp.toString()), "gupsim litmus: " + tmp + ": cannot be read (a directory" + allowed);
        Path bad = tmp.resolve("bad.litmus");
        Files.writeString(bad, "C bad\n\n{}\n\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1)\n}\n\nexists (x=1)\n");
        usage(CliRun.of("litmus", bad.toString()), "gupsim litmus: " + bad + ":8: expected ';', found '}'");
        Path asm = tmp.resolve("asm.litmus");
        Files.writeString(asm, "AArch64 MP\n{}\n");
        usage(CliRun.of("litmus", asm.toString()), "gupsim litmus: " + asm
                + ":1: not a C litmus test: the first line must be 'C NAME', was 'AArch64 MP'");
        Path prim = tmp.resolve("prim.litmus");
        Files.writeString(prim, "C prim\n{}\nP0(int *x)\n{\n\tsmp_frobnicate();\n}\nexists (x=0)\n");
        usage(CliRun.of("litmus", prim.toString()), "gupsim litmus: " + prim
                + ":5: P0: smp_frobnicate() is not a primitive gupsim models (see docs/litmus.md for the list)");
        Path latin = tmp.resolve("latin1.litmus");
        Files.write(latin, new byte[] {'C', ' ', 'x', (byte) 0xe9, '\n'});
        usage(CliRun.of("litmus", latin.toString()), "gupsim litmus: " + latin + ": not UTF-8 text (allowed: "
                + LitmusCommand.FILE_ALLOWED + ")");
        Path uni = tmp.resolve("uni.litmus");
        Files.writeString(uni, "C uni\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1) ≠\n}\nexists (x=1)\n");
        usage(CliRun.of("litmus", uni.toString()), "gupsim litmus: " + uni + ":5: unexpected character '\\u2260'");
    }

    /** Empty, binary, huge and endless files: one line naming the file and what is wrong, never read whole. */
    @Test
    void emptyBinaryAndHugeFilesAreRefusedNamingTheFile() throws IOException {
        String allowed = " (allowed: " + LitmusCommand.FILE_ALLOWED;
        Path empty = Files.createFile(tmp.resolve("empty.litmus"));
        usage(CliRun.of("litmus", empty.toString()), "gupsim litmus: " + empty + ": an empty file" + allowed + ")");
        Path nul = tmp.resolve("nul.litmus");
        Files.write(nul, new byte[] {'C', ' ', 'x', 0, '\n', 0, 0});
        usage(CliRun.of("litmus", nul.toString()), "gupsim litmus: " + nul + ": a binary file, it has NUL bytes"
                + allowed + ")");
        Path huge = tmp.resolve("huge.litmus");
        Files.writeString(huge, "C huge\n{}\n// " + "x".repeat(LitmusCommand.MAX_FILE_BYTES) + "\n");
        usage(CliRun.of("litmus", huge.toString()), "gupsim litmus: " + huge + ": too large, more than 1048576 bytes"
                + allowed + " of at most 1048576 bytes)");
        // An endless file is refused the same way after reading one byte more than the limit.
        usage(CliRun.of("litmus", "/dev/zero"), "gupsim litmus: /dev/zero: too large, more than 1048576 bytes"
                + allowed + " of at most 1048576 bytes)");
        // A name with a control character is echoed visibly, not written to the terminal as it is.
        String esc = tmp.resolve("e\u001b[31m.litmus").toString();
        CliRun r = CliRun.of("litmus", esc);
        usage(r, "gupsim litmus: " + esc.replace("\u001b", "\\u001b") + ": cannot be read (no such file; allowed: "
                + LitmusCommand.FILE_ALLOWED + ")");
    }

    /** MP+wmb+rmb with {@code from} replaced by {@code to}, written to a file of {@code tmp}. */
    private Path broken(String name, String from, String to) throws IOException {
        String mp = Files.readString(Path.of(MP));
        assertTrue(mp.contains(from), from);
        Path f = tmp.resolve(name + ".litmus");
        Files.writeString(f, mp.replace(from, to));
        return f;
    }

    /**
     * Each construct of the format broken in turn, in a test that otherwise runs: exit 2, one line
     * naming the file and the line of the fault, nothing on stdout (never an internal error, a
     * stack overflow or a verdict).
     */
    @Test
    void eachBrokenConstructIsRefusedWithFileAndLine() throws IOException {
        String[][] cases = {
            // name, from, to, the error after "FILE:"
            {"no-c-line", "C MP+wmb+rmb\n", "", "2: not a C litmus test: the first line must be 'C NAME', was '(*'"},
            {"no-name", "C MP+wmb+rmb", "C", "1: the 'C' line has no test name"},
            {"init-no-value", "{}", "{ x=; }", "7: expected an initial value (a number, &x or x), found ';'"},
            {"init-unclosed", "{}", "{ x=1;", "9: expected ';', found '('"},
            {"init-bad-pointer", "{}", "{ int *y = &nosuch; }", "7: the initial value of 'y' is the address of "
                    + "'nosuch', which no thread or initial value declares"},
            {"init-no-thread", "{}", "{ 9:r0=1; }", "7: the initial value of 9:r0 is for thread 9, which does not "
                    + "exist (the test has 2)"},
            {"init-huge-thread", "{}", "{ 99999999999:r0=1; }", "7: thread number 99999999999 is too large"},
            {"init-huge-value", "{}", "{ x=99999999999999999999; }", "7: '99999999999999999999' is not a number"},
            {"unknown-primitive", "smp_rmb();", "smp_frob();", "22: P1: smp_frob() is not a primitive gupsim "
                    + "models (see docs/litmus.md for the list)"},
            {"primitive-arity", "smp_rmb();", "smp_rmb(1, 2);", "22: P1: smp_rmb() takes 0 arguments, was given 2"},
            {"loop", "smp_rmb();", "while (1) {}", "22: 'while' is not supported: a litmus thread is straight-line "
                    + "code with if/else"},
            {"unbalanced-close", "\tWRITE_ONCE(*y, 1);\n}", "\tWRITE_ONCE(*y, 1);\n", "17: expected ';', found '{'"},
            {"unbalanced-paren", "READ_ONCE(*y)", "READ_ONCE(*y", "21: expected ')', found ';'"},
            {"thread-twice", "P1(int *x, int *y)", "P0(int *x, int *y)", "16: thread P0 is defined twice"},
            {"thread-gap", "P1(int *x, int *y)", "P5(int *x, int *y)", "26: threads must be P0, P1, ... without "
                    + "gaps; P1 is missing"},
            {"thread-huge", "P1(int *x, int *y)", "P99999999999(int *x, int *y)", "16: thread number 99999999999 is "
                    + "too large"},
            {"exists-empty-and", "exists (1:r0=1 /\\ 1:r1=0)", "exists (1:r0=1 /\\ )", "26: expected a register "
                    + "'N:r' or a location, found ')'"},
            {"exists-unopened", "exists (1:r0=1", "exists 1:r0=1", "26: unexpected ')' after the final condition"},
            {"exists-no-thread", "exists (1:r0=1 /\\ 1:r1=0)", "exists (5:r0=1)", "26: thread 5 does not exist "
                    + "(the test has 2)"},
            {"exists-huge-thread", "exists (1:r0=1 /\\ 1:r1=0)", "exists (99999999999:r0=1)", "26: thread number "
                    + "99999999999 is too large"},
            {"exists-unknown-location", "exists (1:r0=1 /\\ 1:r1=0)", "exists (nosuch=1)", "27: the condition names "
                    + "'nosuch', which no thread or initial value declares"},
            {"exists-twice", "exists (1:r0=1 /\\ 1:r1=0)", "exists (1:r0=1) exists (1:r0=0)", "26: unexpected "
                    + "'exists' after the final condition"},
            {"no-exists", "exists (1:r0=1 /\\ 1:r1=0)", "", "27: expected 'exists', '~exists', 'forall', 'filter' or "
                    + "'locations', found end of file"},
            {"deep-parentheses", "smp_rmb();", "r1 = " + "(".repeat(5000) + "1" + ")".repeat(5000) + ";", "22: nested "
                    + "more than 200 levels deep (blocks, parentheses, operators in a row)"},
            {"deep-blocks", "smp_rmb();", "{".repeat(5000) + "}".repeat(5000), "22: nested more than 200 levels deep "
                    + "(blocks, parentheses, operators in a row)"},
            {"long-chain", "smp_rmb();", "r1 = 1" + " + 1".repeat(5000) + ";", "22: nested more than 200 levels "
                    + "deep (blocks, parentheses, operators in a row)"},
            {"deep-condition", "exists (1:r0=1 /\\ 1:r1=0)", "exists " + "~".repeat(5000) + "(1:r0=1)", "26: nested "
                    + "more than 200 levels deep (blocks, parentheses, operators in a row)"},
        };
        for (String[] c : cases) {
            Path f = broken(c[0], c[1], c[2]);
            usage(CliRun.of("litmus", f.toString(), "--model", "sc"), "gupsim litmus: " + f + ":" + c[3]);
        }
    }

    /**
     * A test too large to run exhaustively (more threads and accesses than the enumeration can
     * finish, or more paths than it can hold, or values nested too deeply to evaluate) is refused
     * in seconds with one line, never left to hang; and nothing of the tests before it is printed.
     */
    @Test
    void aTestTooLargeToRunIsRefusedNotLeftToHang() throws IOException {
        StringBuilder big = new StringBuilder("C big\n{}\n");
        for (int t = 0; t < 8; t++) {
            big.append("P").append(t).append("(int *x, int *y)\n{\n\tint r0;\n\tint r1;\n\tr0 = READ_ONCE(*x);\n")
                    .append("\tWRITE_ONCE(*y, ").append(t).append(");\n\tr1 = READ_ONCE(*y);\n\tWRITE_ONCE(*x, ")
                    .append(t).append(");\n}\n");
        }
        big.append("exists (0:r0=1)\n");
        Path f = Files.writeString(tmp.resolve("big.litmus"), big);
        String allowed = " (allowed: " + LitmusCommand.LIMITS + ")";
        usage(CliRun.of("litmus", SB, f.toString(), "--model", "sc"), "gupsim litmus: " + f + ": too large to run "
                + "exhaustively: 8 threads with 34 events have more than 17301 candidate executions under sc" + allowed);
        Path ifs = Files.writeString(tmp.resolve("ifs.litmus"), "C ifs\n{}\nP0(int *x)\n{\n"
                + "\tif (READ_ONCE(*x)) WRITE_ONCE(*x, 1);\n".repeat(13) + "}\nexists (x=1)\n");
        usage(CliRun.of("litmus", ifs.toString(), "--model", "sc"), "gupsim litmus: " + ifs + ": too large to run "
                + "exhaustively: P0 has more than 4096 paths (each if on a value read from memory can double them): "
                + "too many to run exhaustively" + allowed);
        Path chain = Files.writeString(tmp.resolve("chain.litmus"), "C chain\n{}\nP0(int *x)\n{\n\tint r0;\n"
                + "\tr0 = READ_ONCE(*x);\n" + "\tr0 = r0 + 1;\n".repeat(60_000) + "\tWRITE_ONCE(*x, r0);\n}\n"
                + "exists (x=1)\n");
        usage(CliRun.of("litmus", chain.toString(), "--model", "sc"), "gupsim litmus: " + chain + ": too large to run "
                + "exhaustively: its values nest too deeply to evaluate (a chain of thousands of assignments that each "
                + "use the one before)" + allowed);
    }
}
