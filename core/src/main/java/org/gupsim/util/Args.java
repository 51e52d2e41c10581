package org.gupsim.util;

/**
 * The argument check every constructor and entry point of the model makes: a null where an object
 * is needed is misuse, answered with an {@link IllegalArgumentException} that names the argument
 * (the house rule; {@link java.util.Objects#requireNonNull} and commons-lang3's
 * {@code Validate.notNull} throw {@link NullPointerException} instead). It returns the value, so
 * a constructor checks and stores a field in one statement.
 */
public final class Args {
    private Args() {
    }

    /**
     * Returns {@code value}.
     *
     * @throws IllegalArgumentException "{@code name} must not be null" if it is null
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
