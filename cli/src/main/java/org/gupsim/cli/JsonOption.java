package org.gupsim.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --json} switch of the commands that print either text or one JSON object (explore,
 * list, replay), declared once and mixed into each with {@code @Mixin}.
 */
final class JsonOption {
    @Option(names = "--json", arity = "0", description = "Print one JSON object instead of text.")
    boolean json;

    /** Whether {@code --json} was given. */
    boolean on() {
        return json;
    }
}
