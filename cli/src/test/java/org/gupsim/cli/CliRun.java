package org.gupsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** One run of the command line in-process, with its exit code and captured output. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    static CliRun withEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
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
