package com.example.gupsim;

import java.util.List;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioProvider;

/** This jar's scenarios, found by gupsim through META-INF/services/org.gupsim.scenario.ScenarioProvider. */
public final class ExampleScenarios implements ScenarioProvider {
    @Override
    public List<Scenario> scenarios() {
        return List.of(new GupFastVsDontneedMprotect());
    }
}
