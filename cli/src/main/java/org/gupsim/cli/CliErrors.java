package org.gupsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gupsim.sched.KernelBugException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the command line reports errors: bad input is one line on stderr naming the flag and the
 * allowed values, exit code {@link Main#EXIT_USAGE}, no usage dump; a failure inside the model
 * is one line, exit code {@link Main#EXIT_FAILURE}, with a stack trace only when
 * {@code GUPSIM_DEBUG=1}.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final PrintWriter err;
    private final boolean debug;

    /**
     * @param err   where error lines go
     * @param debug print stack traces of internal errors too
     */
    CliErrors(PrintWriter err, boolean debug) {
        this.err = err;
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        err.println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + describe(ex));
        err.flush();
        return Main.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        String who = cmd.getCommandSpec().qualifiedName();
        int code;
        if (ex instanceof UsageException) {
            err.println(who + ": " + oneLine(ex.getMessage()));
            code = Main.EXIT_USAGE;
        } else if (ex instanceof KernelBugException kb) {
            err.println(who + ": kernel bug detected: " + oneLine(kb.violation().toString()));
            code = Main.EXIT_FAILURE;
        } else {
            err.println("gupsim: internal error: " + oneLine(String.valueOf(ex.getMessage())));
            code = Main.EXIT_FAILURE;
        }
        if (debug && !(ex instanceof UsageException)) {
            StringWriter sw = new StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            err.print(sw);
        }
        err.flush();
        return code;
    }

    /** The message for a parse error, one line, naming the flag and what is allowed. */
    static String describe(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-")) {
                return "unknown option '" + arg + "' (allowed: " + String.join(", ", optionNames(spec)) + ")";
            }
            if (!spec.subcommands().isEmpty()) {
                return "unknown command '" + arg + "' (allowed: "
                        + String.join(", ", spec.subcommands().keySet()) + ")";
            }
            return "unexpected argument '" + arg + "'";
        }
        if (ex instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec first = m.getMissing().get(0);
            String name = first instanceof OptionSpec o ? o.longestName() : first.paramLabel();
            boolean noValue = String.valueOf(ex.getMessage()).startsWith("Missing required parameter for option");
            StringBuilder sb = new StringBuilder(name).append(noValue ? " needs a value" : " is required");
            List<String> allowed = candidates(first);
            if (!allowed.isEmpty()) {
                sb.append(" (allowed: ").append(String.join(", ", allowed)).append(')');
            }
            if (!noValue && m.getMissing().size() > 1) {
                List<String> others = new ArrayList<>();
                for (ArgSpec a : m.getMissing().subList(1, m.getMissing().size())) {
                    others.add(a instanceof OptionSpec o ? o.longestName() : a.paramLabel());
                }
                sb.append("; also required: ").append(String.join(", ", others));
            }
            return sb.toString();
        }
        return oneLine(String.valueOf(ex.getMessage()));
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            // The first long name: --patch, not its older spelling --mutant.
            names.add(java.util.Arrays.stream(o.names()).filter(n -> n.startsWith("--")).findFirst()
                    .orElse(o.longestName()));
        }
        return names;
    }

    private static List<String> candidates(ArgSpec arg) {
        List<String> out = new ArrayList<>();
        Iterable<String> c = arg.completionCandidates();
        if (c != null) {
            for (Iterator<String> it = c.iterator(); it.hasNext(); ) {
                out.add(it.next());
            }
        }
        return out;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
