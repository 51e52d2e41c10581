package org.gupsim.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gupsim help [COMMAND]}: the help of the main command or of one command, the same text
 * {@code --help} prints. picocli's own help command would take {@code --help=true} and answer an
 * unknown command without the list of commands; this one refuses bad input as every other option
 * does.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of gupsim or of one command.")
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Allowed("a command of gupsim, as gupsim --help lists them")
    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "The command (gupsim --help lists them).")
    String command;

    @Override
    public Integer call() {
        CommandLine parent = spec.parent().commandLine();
        List<String> names = List.copyOf(parent.getSubcommands().keySet());
        CommandLine target = command == null ? parent : parent.getSubcommands().get(CliValues.oneOf("COMMAND", command,
                names));
        target.usage(spec.commandLine().getOut());
        return Main.EXIT_OK;
    }
}
