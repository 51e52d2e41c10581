package org.gupsim.kernel;

import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * One value of a {@link Feature}: what the kernel does, and where that came from.
 *
 * @param name        the value as people write it, e.g. {@code after-recheck}, {@code yes}
 * @param value       the value code reads (a boolean, an enum constant, or an object that
 *                    implements a step's SPI)
 * @param description one line: what the kernel does with it
 * @param source      the commit, posting or release that brought it, e.g. {@code a349d72fd9ef}
 * @param since       the mainline release it entered, {@link Release#INITIAL} for the value a
 *                    feature starts with, or null for a value no mainline release had (a posting,
 *                    a patch)
 * @param <T>         the feature's type
 */
public record FeatureValue<T>(String name, T value, String description, String source, Release since) {

    public FeatureValue {
        Validate.notBlank(name, "name must not be blank");
        Args.notNull(value, "value");
        Validate.notBlank(description, "description must not be blank");
        Validate.notBlank(source, "source must not be blank");
    }

    /** Whether a mainline release had this value. */
    public boolean mainline() {
        return since != null;
    }

    /** {@code name: description (source)}. */
    public String describe() {
        return name + ": " + description + " (" + source + ")";
    }
}
