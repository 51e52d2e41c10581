package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(Main.EXIT_OK, r.exit());
        assertTrue(r.out().contains("Commands:"), r.out());
        for (String c : List.of("  explore ", "  replay ", "  list ", "  pin ")) {
            assertTrue(r.out().contains(c), c + " in\n" + r.out());
        }
        assertEquals("", r.err());
    }

    @Test
    void pinHelpDocumentsOptionsArchitecturesAndKernels() {
        CliRun r = CliRun.of("pin", "--help");
        assertEquals(Main.EXIT_OK, r.exit());
        for (String s : List.of("--backing", "--page-size", "io_uring", "memfd-hugetlb", "Kernels (--kernel VER): 6.4,",
                "x86_64: variants native, native-rcu", "default variant: native for 6.4..6.10, native-rcu for 6.15..latest")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        assertTrue(r.out().contains("gupsim pin [--arch ARCH[:VARIANT]]"), "the synopsis names no architecture:\n"
                + r.out());
        assertEquals(r.out(), CliRun.of("help", "pin").out());
    }

    @Test
    void exploreHelpDocumentsOptionsArchitecturesAndKernels() {
        CliRun r = CliRun.of("explore", "--help");
        assertEquals(Main.EXIT_OK, r.exit());
        for (String s : List.of("SCENARIO", "--patch", "--mutant", "--param", "--strategy", "--preemption-bound", "--json",
                "immediate-table-free", "gup-fast-vs-munmap", "x86_64: variants native, native-rcu", "Exit codes: 0 SAFE")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        assertTrue(CliRun.of("replay", "--help").out().contains("--schedule"));
    }

    /** A command that fails the way a model bug would. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final RuntimeException toThrow;

        Boom(RuntimeException toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() {
            throw toThrow;
        }
    }

    private static CliRun runBoom(RuntimeException ex, boolean debug) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err), debug, false,
                Main.class.getClassLoader());
        cl.addSubcommand("boom", new Boom(ex));
        int code = cl.execute("boom");
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void internalErrorIsOneLineWithoutStackTrace() {
        CliRun r = runBoom(new IllegalStateException("the model\nbroke"), false);
        assertEquals(Main.EXIT_FAILURE, r.exit());
        assertEquals(List.of("gupsim: internal error: the model broke"), r.errLines());
    }

    @Test
    void debugAddsTheStackTrace() {
        CliRun r = runBoom(new IllegalStateException("the model broke"), true);
        assertEquals(Main.EXIT_FAILURE, r.exit());
        assertEquals("gupsim: internal error: the model broke", r.errLines().get(0));
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void kernelBugIsReportedAsAViolation() {
        CliRun r = runBoom(new KernelBugException(new Violation(ViolationKind.USE_AFTER_FREE, "folio 7 freed")), false);
        assertEquals(Main.EXIT_FAILURE, r.exit());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gupsim boom: kernel bug detected: "), r.err());
        assertTrue(r.err().contains("folio 7 freed"), r.err());
    }

    @Test
    void usageExceptionFromACommandExitsTwo() {
        CliRun r = runBoom(new UsageException("--x 3 is not known (allowed: 1, 2)"), true);
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals(List.of("gupsim boom: --x 3 is not known (allowed: 1, 2)"), r.errLines());
    }
}
