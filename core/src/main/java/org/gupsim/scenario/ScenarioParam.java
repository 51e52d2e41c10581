package org.gupsim.scenario;

import java.util.List;
import org.apache.commons.lang3.Validate;

/**
 * A named scenario parameter with its default and allowed values.
 *
 * @param name         e.g. {@code backing}
 * @param defaultValue used when the parameter is not given
 * @param allowed      the values it accepts
 * @param description  one line for listings
 */
public record ScenarioParam(String name, String defaultValue, List<String> allowed, String description) {
    public ScenarioParam {
        Validate.isTrue(name != null && !name.isEmpty(), "name must not be empty");
        Validate.isTrue(allowed != null && allowed.contains(defaultValue), "defaultValue must be one of allowed");
        allowed = List.copyOf(allowed);
    }
}
