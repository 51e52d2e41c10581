package org.gupsim.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;

/**
 * Issue 4's verdicts on every arm64 variant again, with schedules sampled instead of enumerated:
 * jqwik picks the seeds, and each try runs every case of {@link Arm64ScenarioVerdictTest}
 * (munmap, truncate and evict SAFE; immediate-table-free and no-irq-disable a use-after-free of
 * a table) under a random walk and under PCT, checking what a sample can promise
 * ({@link Explorations#assertSampled}).
 */
class Arm64SampledExplorationProperties {
    /** Schedules per case, sampler and try. */
    static final int SCHEDULES = 10;

    @Property(tries = 4)
    void sampledSchedulesAgreeWithTheExhaustiveVerdicts(@ForAll long seed) {
        Arm64ScenarioVerdictTest.cases().forEach(c -> Statistics.label(c.verdict() + ": samplers finding a violation")
                .collect(Explorations.assertSampled(Arm64ScenarioVerdictTest.exploration(c), c.verdict(),
                        ViolationKind.USE_AFTER_FREE, seed, SCHEDULES)));
    }
}
