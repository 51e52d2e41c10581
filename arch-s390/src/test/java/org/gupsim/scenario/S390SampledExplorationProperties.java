package org.gupsim.scenario;

import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.SampledVerdictSuite;
import org.gupsim.testkit.ScenarioVerdictSuite;

/** The s390 verdicts of {@link S390ScenarioVerdictTest} again, with schedules sampled instead of enumerated. */
@PropertyDefaults(tries = 5)
class S390SampledExplorationProperties extends SampledVerdictSuite {

    @Override
    protected ScenarioVerdictSuite table() {
        return new S390ScenarioVerdictTest();
    }

    @Override
    protected int schedules() {
        return 15;
    }
}
