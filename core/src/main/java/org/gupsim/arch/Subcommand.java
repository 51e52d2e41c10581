package org.gupsim.arch;

import java.util.concurrent.Callable;

/**
 * A subcommand a jar adds to the {@code gupsim} command line: an architecture module its own tools
 * (arch-s390's {@code kvm-s390-matrix}), a user's jar theirs. The command line finds every
 * implementation with {@link java.util.ServiceLoader} (a jar lists it in
 * {@code META-INF/services/org.gupsim.arch.Subcommand}) and lists them after its own commands,
 * sorted by name; a name that is taken already is refused.
 *
 * <p>The command line is built with picocli, so an implementation is a picocli {@code @Command}
 * class with a public no-argument constructor: its name, options and help come from its
 * annotations, and {@link #call()} runs it and returns the exit code. Bad input is answered by
 * throwing picocli's {@code ParameterException} with one line naming the flag and the allowed
 * values; the command line prints it as it prints its own (prefixed with the command's name) and
 * exits with {@link #EXIT_USAGE}. This interface adds nothing to {@link Callable} but the type the
 * service loader looks for and the exit codes every command shares, so core needs no picocli.
 */
public interface Subcommand extends Callable<Integer> {
    /** The command ran; whatever the kernel answered is its output, not a failure. */
    int EXIT_OK = 0;
    /** Something was left pinned or a violation was found, or an internal error. */
    int EXIT_FAILURE = 1;
    /** Bad input. */
    int EXIT_USAGE = 2;
}
