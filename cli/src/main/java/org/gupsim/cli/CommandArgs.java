package org.gupsim.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The arguments a subcommand was given, as typed (for shard files). */
final class CommandArgs {
    private CommandArgs() {
    }

    /** The arguments after the subcommand's name. */
    static List<String> of(CommandSpec spec) {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return List.copyOf(at < 0 ? all : all.subList(at + 1, all.size()));
    }
}
