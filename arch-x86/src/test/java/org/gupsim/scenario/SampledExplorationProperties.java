package org.gupsim.scenario;

import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.SampledVerdictSuite;
import org.gupsim.testkit.ScenarioVerdictSuite;

/** The x86-64 verdicts of {@link ScenarioVerdictTest} again, with schedules sampled instead of enumerated. */
@PropertyDefaults(tries = 4)
class SampledExplorationProperties extends SampledVerdictSuite {

    @Override
    protected ScenarioVerdictSuite table() {
        return new ScenarioVerdictTest();
    }
}
