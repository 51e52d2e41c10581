package org.gupsim.sched;

import org.apache.commons.lang3.Validate;

/**
 * A kernel bug the model detected.
 *
 * @param kind    what went wrong
 * @param message a sentence naming the objects involved
 */
public record Violation(ViolationKind kind, String message) {
    public Violation {
        Validate.isTrue(kind != null, "kind must not be null");
        Validate.isTrue(message != null, "message must not be null");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
