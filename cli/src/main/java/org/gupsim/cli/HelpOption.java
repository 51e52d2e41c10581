package org.gupsim.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -h}/{@code --help} option that every gupsim command takes, declared once and mixed
 * into each command with {@code @Mixin}. picocli prints the usage itself when it is given.
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, arity = "0", description = "Show this help and exit.")
    boolean help;
}
