package org.gupsim.scenario;

import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.SampledVerdictSuite;
import org.gupsim.testkit.ScenarioVerdictSuite;

/** The powerpc verdicts of {@link PpcScenarioVerdictTest} again, with schedules sampled instead of enumerated. */
@PropertyDefaults(tries = 4)
class PpcSampledExplorationProperties extends SampledVerdictSuite {

    @Override
    protected ScenarioVerdictSuite table() {
        return new PpcScenarioVerdictTest();
    }
}
