package org.gupsim.scenario;

import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.lang3.Validate;

/**
 * A named scenario parameter with its default and the values it accepts: a closed list, or (for
 * sizes and counts) any value of a syntax, with a few examples.
 *
 * @param name         e.g. {@code backing}
 * @param defaultValue used when the parameter is not given
 * @param allowed      the values it accepts; for a free-form parameter, examples of them
 * @param description  one line for listings
 * @param freeForm     null for a closed list, else the syntax that any accepted value has
 */
public record ScenarioParam(String name, String defaultValue, List<String> allowed, String description,
                            FreeForm freeForm) {

    /**
     * What a free-form value looks like.
     *
     * @param metavar the syntax for listings and error messages, e.g. {@code BYTES[K|M|G]|unlimited}
     * @param accepts whether a value has it
     */
    public record FreeForm(String metavar, Predicate<String> accepts) {
        public FreeForm {
            Validate.isTrue(metavar != null && !metavar.isEmpty(), "metavar must not be empty");
            Validate.isTrue(accepts != null, "accepts must not be null");
        }
    }

    public ScenarioParam {
        Validate.isTrue(name != null && !name.isEmpty(), "name must not be empty");
        Validate.isTrue(allowed != null && allowed.contains(defaultValue), "defaultValue must be one of allowed");
        allowed = List.copyOf(allowed);
        if (freeForm != null) {
            for (String v : allowed) {
                Validate.isTrue(freeForm.accepts().test(v), "example %s must have the syntax %s", v, freeForm.metavar());
            }
        }
    }

    /** A parameter taking exactly the values {@code allowed}. */
    public ScenarioParam(String name, String defaultValue, List<String> allowed, String description) {
        this(name, defaultValue, allowed, description, null);
    }

    /** A parameter taking any value {@code accepts} says yes to; {@code examples} are shown in listings. */
    public static ScenarioParam freeForm(String name, String defaultValue, List<String> examples, String description,
                                         String metavar, Predicate<String> accepts) {
        return new ScenarioParam(name, defaultValue, examples, description, new FreeForm(metavar, accepts));
    }

    /** Whether {@code value} is accepted. */
    public boolean accepts(String value) {
        return value != null && (freeForm == null ? allowed.contains(value) : freeForm.accepts().test(value));
    }

    /**
     * What is accepted, for error messages: {@code one of anon, shmem} or
     * {@code BYTES[K|M|G]|unlimited, e.g. 0, 4k, unlimited}.
     */
    public String expected() {
        return freeForm == null ? "one of " + String.join(", ", allowed)
                : freeForm.metavar() + ", e.g. " + String.join(", ", allowed);
    }

    /**
     * What is accepted, for "(allowed: ...)" in error messages: {@code anon, shmem} or
     * {@code BYTES[K|M|G]|unlimited, e.g. 0, 4k, unlimited}.
     */
    public String allowedText() {
        return freeForm == null ? String.join(", ", allowed)
                : freeForm.metavar() + ", e.g. " + String.join(", ", allowed);
    }

    /** For listings: {@code anon|shmem}, or the free-form syntax. */
    public String valuesText() {
        return freeForm == null ? String.join("|", allowed) : freeForm.metavar();
    }
}
