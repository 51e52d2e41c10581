package org.gupsim.scenario;

import java.util.List;

/**
 * Scenarios contributed by a module other than core (an architecture module's callers, say),
 * found with {@link java.util.ServiceLoader}: a module lists its implementation in
 * {@code META-INF/services/org.gupsim.scenario.ScenarioProvider}. {@link Scenarios} appends the
 * scenarios of every provider after core's own, providers ordered by class name, each provider's
 * scenarios in the order it gives them, so the catalogue's order is the same on every run.
 */
public interface ScenarioProvider {

    /** The scenarios this module adds, in listing order. */
    List<Scenario> scenarios();
}
