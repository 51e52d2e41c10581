package org.gupsim.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.gupsim.arch.Subcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code gupsim} command. Its own subcommands are picocli {@code @Command} classes listed in
 * {@link #SUBCOMMANDS}; after them come those other jars contribute through the {@link Subcommand}
 * SPI (an architecture module's tools, a user's), found with {@link ServiceLoader} and sorted by
 * name. This module imports no architecture module: they are only on its run-time class path.
 *
 * <p>Exit codes: {@link #EXIT_OK} when the command ran (a failed pin is the model's answer, not
 * an error), {@link #EXIT_FAILURE} for a leak or other violation found at teardown, or an
 * internal error, {@link #EXIT_USAGE} for bad input.
 */
@Command(name = "gupsim", sortOptions = false,
        description = "An emulator of the Linux memory manager's page-pinning paths (GUP/PUP, fast and slow).",
        footer = {"", "Exit codes: 0 the command ran (whatever the kernel answered), 1 a leak or violation "
                + "was found, or an internal error, 2 bad input, 130 interrupted (Ctrl-C; explore and compare "
                + "print what they found so far).",
                "Set GUPSIM_DEBUG=1 for stack traces of internal errors; GUPSIM_CLASSPATH=PATH[:PATH...] for "
                        + "jars of your own (as --classpath)."})
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    /** Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it; the partial result was printed. */
    public static final int EXIT_INTERRUPTED = 130;
    /**
     * The system property through which the {@code gupsim} launcher says whether stderr is a
     * terminal ({@code true} or {@code false}; it tests {@code [ -t 2 ]}). Java cannot ask that
     * itself: {@link System#console()} is about stdin and stdout. Unset means no.
     */
    public static final String STDERR_TERMINAL_PROPERTY = "gupsim.stderr.terminal";

    /** The subcommands, in the order help lists them. */
    static final Class<?>[] SUBCOMMANDS = {CompareCommand.class, ExploreCommand.class, ReplayCommand.class,
        ListCommand.class, PinCommand.class, LitmusCommand.class, MergeCommand.class};

    @Spec
    CommandSpec spec;

    private final boolean stderrIsTerminal;
    private final boolean handlesSignals;

    private Main(boolean stderrIsTerminal, boolean handlesSignals) {
        this.stderrIsTerminal = stderrIsTerminal;
        this.handlesSignals = handlesSignals;
    }

    /**
     * Whether this is the real process, which owns Ctrl-C: long commands then print a partial
     * result on SIGINT ({@link Interruption}). In-process runs (tests) leave the JVM's signals alone.
     */
    boolean handlesSignals() {
        return handlesSignals;
    }

    /** Whether stderr is a terminal, as the launcher said: decides whether a progress bar is drawn there. */
    boolean stderrIsTerminal() {
        return stderrIsTerminal;
    }

    @Mixin
    HelpOption help;

    /** Read by {@link UserClasspath} before picocli runs; declared here for help and parsing. */
    @Option(names = "--classpath", paramLabel = "PATH[:PATH...]",
            description = "Jars and directories with scenarios, patches, features or architectures of your own "
                    + "(registered in META-INF/services, as gupsim's own are); replaces GUPSIM_CLASSPATH. "
                    + "Give it before the command.")
    String classpath;

    @Override
    public Integer call() {
        throw new UsageException("a command is needed (allowed: "
                + String.join(", ", spec.subcommands().keySet()) + "); see gupsim --help");
    }

    /** The configured command line, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug, boolean stderrIsTerminal,
            ClassLoader loader) {
        return commandLine(out, err, debug, stderrIsTerminal, loader, false);
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug, boolean stderrIsTerminal,
            ClassLoader loader, boolean handlesSignals) {
        CommandLine cl = new CommandLine(new Main(stderrIsTerminal, handlesSignals));
        for (Class<?> c : SUBCOMMANDS) {
            cl.addSubcommand(withHelp(new CommandLine(c)));
        }
        for (Subcommand c : contributed(loader)) {
            String name = new CommandLine(c).getCommandName();
            if (cl.getSubcommands().containsKey(name) || name.equals("help")) {
                throw new IllegalStateException("command " + name + " of " + c.getClass().getName()
                        + " is taken already; give it another name");
            }
            cl.addSubcommand(name, c);
        }
        // Ours rather than picocli's, so that it answers bad input as every other command does.
        cl.addSubcommand("help", withHelp(new CommandLine(new HelpCommand())));
        for (CommandLine sub : cl.getSubcommands().values()) {
            addMachineFooter(sub.getCommandSpec());
        }
        CliErrors errors = new CliErrors(err, debug);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        return cl;
    }

    /** {@code command} with -h/--help after its own options: every command of ours takes it. */
    private static CommandLine withHelp(CommandLine command) {
        return command.addMixin("help", new HelpOption());
    }

    /**
     * The subcommands other jars contribute, sorted by name, then by class name so that two of one
     * name are refused the same way every time.
     */
    private static List<Subcommand> contributed(ClassLoader loader) {
        List<Subcommand> found = new ArrayList<>();
        ServiceLoader.load(Subcommand.class, loader).forEach(found::add);
        found.sort(Comparator.comparing((Subcommand c) -> new CommandLine(c).getCommandName())
                .thenComparing(c -> c.getClass().getName()));
        return found;
    }

    /** Commands that boot a machine list the architectures and kernels at the end of their help. */
    private static void addMachineFooter(CommandSpec sub) {
        boolean boots = sub.mixins().values().stream().anyMatch(m -> m.userObject() instanceof MachineOptions);
        if (boots) {
            List<String> footer = new ArrayList<>(List.of(sub.usageMessage().footer()));
            footer.add("");
            footer.addAll(MachineOptions.helpFooter());
            sub.usageMessage().footer(footer.toArray(String[]::new));
        }
    }

    /**
     * Runs the command line and returns the exit code, without calling {@link System#exit}, as if
     * stderr were not a terminal.
     *
     * @param env the environment ({@code GUPSIM_DEBUG=1} turns on stack traces)
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return run(args, out, err, env, false);
    }

    /**
     * Runs the command line and returns the exit code, without calling {@link System#exit}.
     *
     * @param env              the environment ({@code GUPSIM_DEBUG=1} turns on stack traces)
     * @param stderrIsTerminal whether {@code err} goes to a terminal (then compare draws a progress bar there)
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean stderrIsTerminal) {
        return run(args, out, err, env, stderrIsTerminal, Main.class.getClassLoader());
    }

    /**
     * Runs the command line with the contributed subcommands {@code loader} finds.
     *
     * @param loader where {@link ServiceLoader} looks for {@link Subcommand}s
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean stderrIsTerminal, ClassLoader loader) {
        return run(args, out, err, env, stderrIsTerminal, loader, false);
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean stderrIsTerminal, ClassLoader loader, boolean handlesSignals) {
        boolean debug = "1".equals(env.get("GUPSIM_DEBUG"));
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        try {
            ClassLoader user;
            try {
                user = UserClasspath.from(args, env).orElse(null);
            } catch (UsageException e) {
                err.println("gupsim: " + CliErrors.oneLine(e.getMessage()));
                return EXIT_USAGE;
            }
            if (user != null) {
                // Users' jars may contribute commands too, and every provider is looked up through them.
                self.setContextClassLoader(user);
                loader = user;
            }
            CommandLine cl;
            try {
                cl = commandLine(out, err, debug, stderrIsTerminal, loader, handlesSignals);
            } catch (IllegalStateException | CommandLine.InitializationException e) {
                // A contributed command that clashes or is not a picocli command: the jar's fault.
                err.println("gupsim: " + CliErrors.oneLine(String.valueOf(e.getMessage())));
                return EXIT_FAILURE;
            }
            try {
                return cl.execute(args);
            } catch (OutOfMemoryError | StackOverflowError e) {
                // picocli hands only Exceptions to CliErrors; an Error would end in a stack trace.
                boolean oom = e instanceof OutOfMemoryError;
                err.println("gupsim: " + (oom ? "out of memory" : "stack overflow") + " ("
                        + CliErrors.oneLine(String.valueOf(e.getMessage())) + "); give the JVM more with "
                        + "GUPSIM_JAVA_OPTS, e.g. GUPSIM_JAVA_OPTS=" + (oom ? "-Xmx8g" : "-Xss64m"));
                return EXIT_FAILURE;
            }
        } finally {
            self.setContextClassLoader(before);
            out.flush();
            err.flush();
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err, System.getenv(),
                Boolean.parseBoolean(System.getProperty(STDERR_TERMINAL_PROPERTY)), Main.class.getClassLoader(), true);
        if (!Interruption.shuttingDown()) {
            System.exit(code); // on Ctrl-C the JVM is already ending, with the signal's status
        }
    }
}
