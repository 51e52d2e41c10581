package org.gupsim.kernel;

/**
 * A patch that cannot be applied: it does not apply to the kernel, or it sets a feature another
 * patch sets differently. An {@link IllegalArgumentException} that names the patch, so a command
 * line can name its flag.
 */
public final class PatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String patch;

    public PatchException(String patch, String message) {
        super(message);
        this.patch = patch;
    }

    /** The patch refused (the first of two that conflict). */
    public String patch() {
        return patch;
    }
}
