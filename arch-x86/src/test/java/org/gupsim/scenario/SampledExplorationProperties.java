package org.gupsim.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.testkit.Explorations;

/**
 * The x86-64 verdicts again, with schedules sampled instead of enumerated: jqwik picks the
 * seeds, and each try runs every case of {@link ScenarioVerdictTest} under a random walk and
 * under PCT, checking what a sample can promise ({@link Explorations#assertSampled}).
 */
class SampledExplorationProperties {
    /** Schedules per case, sampler and try. */
    static final int SCHEDULES = 10;

    @Property(tries = 4)
    void sampledSchedulesAgreeWithTheExhaustiveVerdicts(@ForAll long seed) {
        ScenarioVerdictTest.cases().forEach(c -> Statistics.label(c.verdict() + ": samplers finding a violation")
                .collect(Explorations.assertSampled(ScenarioVerdictTest.exploration(c), c.verdict(), c.kind(), seed,
                        SCHEDULES)));
    }
}
