package org.gupsim.arch;

import org.gupsim.kernel.Kernel;
import org.gupsim.util.Args;

/**
 * A variant paired with a kernel that did not have it yet ({@link ArchVariant#unavailableOn}): an
 * {@link IllegalArgumentException} that keeps the variant, the kernel and the reason apart, so a
 * command line can name both of its flags.
 */
public final class VariantUnavailableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String variant;
    private final transient Kernel kernel;
    private final String reason;

    private VariantUnavailableException(String variant, Kernel kernel, String reason) {
        super(variant + " does not exist on kernel " + kernel.label() + ": " + reason);
        this.variant = variant;
        this.kernel = kernel;
        this.reason = reason;
    }

    /**
     * Checks that {@code arch} exists on {@code kernel}.
     *
     * @throws VariantUnavailableException if it does not
     */
    public static void check(ArchVariant arch, Kernel kernel) {
        Args.notNull(arch, "arch");
        Args.notNull(kernel, "kernel");
        arch.unavailableOn(kernel).ifPresent(why -> {
            throw new VariantUnavailableException(arch.fullName(), kernel, why);
        });
    }

    /** The variant, {@code arch:variant}. */
    public String variant() {
        return variant;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Why the variant does not exist on the kernel, e.g. which release brought it. */
    public String reason() {
        return reason;
    }
}
