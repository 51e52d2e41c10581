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
}
