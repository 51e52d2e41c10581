package org.gupsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gupsim.sched.KernelBugException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
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

    /** A word of an error line longer than this is shortened: an echoed value can be any length. */
    static final int MAX_ECHO = 80;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        err.println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + shortened(oneLine(describe(ex))));
        err.flush();
        return Main.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        String who = cmd.getCommandSpec().qualifiedName();
        int code;
        if (ex instanceof UsageException) {
            err.println(who + ": " + shortened(oneLine(ex.getMessage())));
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
            if (spec.findOption(arg.replaceFirst("=.*", "")) != null || spec.subcommands().containsKey(arg)) {
                // Only '--' makes a known option or command unmatched: everything after it is a
                // positional argument. Saying "unknown option '--json'" while listing --json would
                // send the user looking for a typo.
                return "'" + arg + "' after '--' is not taken as an option or a command (allowed: options and the "
                        + "command before '--'; after it " + (spec.positionalParameters().isEmpty() ? "nothing"
                        : "only " + positionals(spec)) + ")";
            }
            if (arg.startsWith("-")) {
                return "unknown option '" + arg + "'" + elsewhere(spec, arg.replaceFirst("=.*", "")) + " (allowed: "
                        + String.join(", ", optionNames(spec)) + ")";
            }
            if (!spec.subcommands().isEmpty()) {
                return "unknown command '" + arg + "' (allowed: "
                        + String.join(", ", spec.subcommands().keySet()) + ")";
            }
            return "unexpected argument '" + arg + "' (allowed: " + positionals(spec) + (spec.positionalParameters()
                    .isEmpty() ? "" : ", and options") + ")";
        }
        if (ex instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec first = m.getMissing().get(0);
            String name = first instanceof OptionSpec o ? o.longestName() : first.paramLabel();
            boolean noValue = String.valueOf(ex.getMessage()).startsWith("Missing required parameter for option");
            StringBuilder sb = new StringBuilder(name).append(noValue ? " needs a value" : " is required");
            String allowed = allowed(first);
            if (allowed != null) {
                sb.append(" (allowed: ").append(allowed).append(')');
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
        OptionSpec option = ex.getArgSpec() instanceof OptionSpec o ? o : optionNamedIn(spec, ex.getMessage());
        if (ex instanceof MaxValuesExceededException && option != null && option.arity().max() == 0) {
            return option.longestName() + " takes no value (allowed: " + option.longestName() + " on its own)";
        }
        if (ex instanceof OverwrittenOptionException && option != null) {
            return option.longestName() + " is given twice (allowed: once)";
        }
        return oneLine(String.valueOf(ex.getMessage()));
    }

    /**
     * Where option {@code name}, unknown to {@code spec}, belongs instead, for a user who gave it
     * to the wrong command: {@code ": it is an option of gupsim itself, given before the command
     * (...)"} or {@code ": compare has it, explore does not"}; empty if no command has it.
     */
    private static String elsewhere(CommandSpec spec, String name) {
        CommandSpec root = spec.root();
        if (root != spec && root.findOption(name) != null) {
            return ": it is an option of gupsim itself, given before the command (gupsim " + name + " ... "
                    + spec.name() + " ...)";
        }
        List<String> others = new ArrayList<>();
        for (CommandLine sub : root.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (s != spec && !others.contains(s.name()) && s.findOption(name) != null) {
                others.add(s.name());
            }
        }
        if (others.isEmpty() || name.equals("-h") || name.equals("--help")) {
            return "";
        }
        return ": " + String.join(" and ", others) + (others.size() == 1 ? " has" : " have") + " it, "
                + spec.name() + " does not";
    }

    /** The positional arguments {@code spec} takes, in words: {@code one SCENARIO}, or {@code options only}. */
    private static String positionals(CommandSpec spec) {
        List<String> labels = spec.positionalParameters().stream().map(ArgSpec::paramLabel).toList();
        return labels.isEmpty() ? "options only" : "one " + String.join(", one ", labels);
    }

    /** The option picocli's message names as {@code option '--x'}, for exceptions that carry no ArgSpec. */
    private static OptionSpec optionNamedIn(CommandSpec spec, String message) {
        Matcher m = Pattern.compile("option '(-[^']*)'").matcher(String.valueOf(message));
        return m.find() ? spec.findOption(m.group(1)) : null;
    }

    /**
     * What {@code arg} allows, for an error that has no value to judge: its
     * {@code completionCandidates}, or else its {@link Allowed} text; null if it has neither.
     */
    static String allowed(ArgSpec arg) {
        List<String> candidates = candidates(arg);
        if (!candidates.isEmpty()) {
            return String.join(", ", candidates);
        }
        if (arg.userObject() instanceof AnnotatedElement e && e.getAnnotation(Allowed.class) != null) {
            return e.getAnnotation(Allowed.class).value();
        }
        return null;
    }

    /**
     * {@code line} with every word longer than {@link #MAX_ECHO} characters cut to its start and
     * its length: a value echoed back (a 20,000-run schedule, a pasted file) must not make the
     * one error line a screenful.
     */
    static String shortened(String line) {
        line = visible(line);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int end = i;
            while (end < line.length() && line.charAt(end) != ' ') {
                end++;
            }
            String word = line.substring(i, end);
            if (word.codePointCount(0, word.length()) > MAX_ECHO) {
                int cut = word.offsetByCodePoints(0, MAX_ECHO / 2);
                sb.append(word, 0, cut).append("... (").append(word.codePointCount(0, word.length()))
                        .append(" characters)");
            } else {
                sb.append(word);
            }
            if (end < line.length()) {
                sb.append(' ');
            }
            i = end + 1;
        }
        return sb.toString();
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

    /**
     * {@code s} with every control character written as {@code \\uXXXX}: a value echoed back (a
     * file name with a NUL or an escape sequence in it) must not write to the terminal. So are
     * the invisible format characters (a right-to-left mark or override, which reorder what the
     * terminal shows after them, a zero-width space) and the Unicode line and paragraph
     * separators, which some terminals break the one line at.
     */
    static String visible(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
