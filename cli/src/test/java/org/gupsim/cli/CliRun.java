package org.gupsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** One run of the command line in-process, with its exit code and captured output. */
record CliRun(int exit, String out, String err) {

    /** A run whose stderr is not a terminal, as under the launcher with {@code 2>file} or in a pipe. */
    static CliRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    /** A run whose stderr is a terminal, as the launcher says when {@code [ -t 2 ]} holds. */
    static CliRun onTerminal(String... args) {
        return run(Map.of(), true, args);
    }

    static CliRun withEnv(Map<String, String> env, String... args) {
        return run(env, false, args);
    }

    private static CliRun run(Map<String, String> env, boolean stderrIsTerminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env, stderrIsTerminal);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Non-empty lines of stdout. */
    List<String> outLines() {
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    /** Non-empty lines of stderr. */
    List<String> errLines() {
        return err.lines().filter(l -> !l.isEmpty()).toList();
    }
}
