package org.gupsim.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;

/**
 * The powerpc verdicts on every variant again, with schedules sampled instead of enumerated:
 * jqwik picks the seeds, and each try runs every case of {@link PpcScenarioVerdictTest} (the
 * scenarios SAFE; no-irq-disable a use-after-free of a table everywhere, immediate-table-free on
 * the tlbie variants and SAFE with the IPI multicast) under a random walk and under PCT, checking
 * what a sample can promise ({@link Explorations#assertSampled}).
 */
class PpcSampledExplorationProperties {
    /** Schedules per case, sampler and try. */
    static final int SCHEDULES = 10;

    @Property(tries = 3)
    void sampledSchedulesAgreeWithTheExhaustiveVerdicts(@ForAll long seed) {
        PpcScenarioVerdictTest.cases().forEach(c -> Statistics.label(c.verdict() + ": samplers finding a violation")
                .collect(Explorations.assertSampled(PpcScenarioVerdictTest.exploration(c), c.verdict(),
                        ViolationKind.USE_AFTER_FREE, seed, SCHEDULES)));
    }
}
