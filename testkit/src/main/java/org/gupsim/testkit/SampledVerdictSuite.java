package org.gupsim.testkit;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * An architecture's scenario verdicts again, with schedules sampled instead of enumerated: jqwik
 * picks the seeds, and each try runs every row of the architecture's {@link ScenarioVerdictSuite}
 * table under a random walk and under PCT, checking what a sample can promise
 * ({@link Explorations#assertSampled}). An architecture module's test subclasses this, names its
 * table ({@link #table}) and says how many tries with jqwik's {@code @PropertyDefaults}.
 */
public abstract class SampledVerdictSuite {
    /** Schedules per row, sampler and try. */
    static final int SCHEDULES = 10;

    /** The table whose rows are sampled. */
    protected abstract ScenarioVerdictSuite table();

    /** Schedules per row, sampler and try: {@value #SCHEDULES} unless the architecture wants more. */
    protected int schedules() {
        return SCHEDULES;
    }

    @Property
    void sampledSchedulesAgreeWithTheExhaustiveVerdicts(@ForAll long seed) {
        for (ScenarioVerdictSuite.Row r : table().rows()) {
            Statistics.label(r.verdict() + ": samplers finding a violation")
                    .collect(Explorations.assertSampled(r.exploration(), r.verdict(), r.kind(), seed, schedules()));
        }
    }
}
