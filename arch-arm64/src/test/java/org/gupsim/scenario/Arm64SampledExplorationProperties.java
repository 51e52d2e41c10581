package org.gupsim.scenario;

import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.SampledVerdictSuite;
import org.gupsim.testkit.ScenarioVerdictSuite;

/** The arm64 verdicts of {@link Arm64ScenarioVerdictTest} again, with schedules sampled instead of enumerated. */
@PropertyDefaults(tries = 4)
class Arm64SampledExplorationProperties extends SampledVerdictSuite {

    @Override
    protected ScenarioVerdictSuite table() {
        return new Arm64ScenarioVerdictTest();
    }
}
