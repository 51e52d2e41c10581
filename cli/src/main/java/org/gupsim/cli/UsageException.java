package org.gupsim.cli;

/**
 * Bad input found after parsing (an unknown backing, a page size the backing cannot have, an
 * unknown kernel): the command line handler prints its message as one line and exits with
 * {@link Main#EXIT_USAGE}. The message names the flag and the allowed values.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
