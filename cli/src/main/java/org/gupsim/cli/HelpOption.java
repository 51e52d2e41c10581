package org.gupsim.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -h}/{@code --help} option that every gupsim command takes, declared once: the top
 * level mixes it in with {@code @Mixin}, and {@link Main} adds it to each of its own commands as it
 * builds the command line, after their other options. picocli prints the usage itself when it is given.
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, arity = "0", description = "Show this help and exit.")
    boolean help;
}
