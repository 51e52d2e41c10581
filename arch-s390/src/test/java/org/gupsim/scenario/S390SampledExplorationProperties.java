package org.gupsim.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;

/**
 * The s390 verdicts on both variants again, with schedules sampled instead of enumerated: jqwik
 * picks the seeds, and each try runs every case of {@link S390ScenarioVerdictTest} (munmap, also
 * without a batch page, truncate, evict and the table upgrade SAFE; immediate-table-free and
 * no-irq-disable a use-after-free of a table) under a random walk and under PCT, checking what a
 * sample can promise ({@link Explorations#assertSampled}).
 */
class S390SampledExplorationProperties {
    /** Schedules per case, sampler and try. */
    static final int SCHEDULES = 15;

    @Property(tries = 5)
    void sampledSchedulesAgreeWithTheExhaustiveVerdicts(@ForAll long seed) {
        S390ScenarioVerdictTest.cases().forEach(c -> Statistics.label(c.verdict() + ": samplers finding a violation")
                .collect(Explorations.assertSampled(S390ScenarioVerdictTest.exploration(c), c.verdict(),
                        ViolationKind.USE_AFTER_FREE, seed, SCHEDULES)));
    }
}
