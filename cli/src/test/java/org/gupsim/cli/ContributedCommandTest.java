package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.Subcommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Commands other jars add through {@link Subcommand}: arch-s390's kvm-s390-matrix, found on the
 * class path like any other, and a user's, from a jar-like directory whose service file names it.
 */
class ContributedCommandTest {

    /** A user's command: prints its greeting, refuses an empty one with one usage line. */
    @Command(name = "hello", description = "Say hello.")
    public static final class Hello implements Subcommand {
        @Spec
        CommandSpec spec;

        @Option(names = "--to", defaultValue = "world", description = "Whom to greet.")
        String to;

        @Override
        public Integer call() {
            if (to.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--to must not be empty (allowed: a name)");
            }
            spec.commandLine().getOut().println("hello, " + to);
            return EXIT_OK;
        }
    }

    /** A user's command that takes a built-in's name. */
    @Command(name = "compare")
    public static final class Impostor implements Subcommand {
        @Override
        public Integer call() {
            return EXIT_FAILURE;
        }
    }

    @TempDir
    Path dir;

    /** A class loader that sees the test class path plus a service file naming {@code commands}. */
    private ClassLoader withServices(Class<?>... commands) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : commands) {
            sb.append(c.getName()).append('\n');
        }
        Files.writeString(services.resolve(Subcommand.class.getName()), sb);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private static CliRun run(ClassLoader loader, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of(), false, loader);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void theS390ModuleContributesItsMatrixAfterTheBuiltIns() {
        CliRun r = CliRun.of("--help");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        List<String> names = r.outLines().stream().filter(l -> l.matches("  [a-z][a-z0-9-]+ .*"))
                .map(l -> l.trim().split(" ")[0]).toList();
        assertEquals(List.of("compare", "explore", "replay", "list", "pin", "litmus", "merge", "kvm-s390-matrix", "help"), names);
    }

    @Test
    void aUsersCommandRunsAndAnswersBadInputLikeTheBuiltIns() throws IOException {
        ClassLoader loader = withServices(Hello.class);
        CliRun ok = run(loader, "hello", "--to", "Gr\u00fc\u00dfe");
        assertEquals(Main.EXIT_OK, ok.exit(), ok.toString());
        assertEquals("hello, Gr\u00fc\u00dfe\n", ok.out());
        CliRun empty = run(loader, "hello", "--to", "");
        assertEquals(Main.EXIT_USAGE, empty.exit(), empty.toString());
        assertEquals(List.of("gupsim hello: --to must not be empty (allowed: a name)"), empty.errLines());
        CliRun unknown = run(loader, "hello", "--from", "x");
        assertEquals(Main.EXIT_USAGE, unknown.exit(), unknown.toString());
        assertEquals(List.of("gupsim hello: unknown option '--from' (allowed: --to)"), unknown.errLines());
        assertTrue(run(loader, "--help").out().contains("  hello "), "listed in help");
    }

    @Test
    void aCommandTakingABuiltInsNameIsRefusedInOneLine() throws IOException {
        CliRun r = run(withServices(Impostor.class), "list");
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertEquals(List.of("gupsim: command compare of " + Impostor.class.getName()
                + " is taken already; give it another name"), r.errLines());
    }
}
