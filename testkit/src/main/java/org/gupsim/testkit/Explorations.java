package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.scenario.Exploration;
import org.gupsim.sched.ViolationKind;

/**
 * Checks of an exhaustive exploration's verdict with the evidence behind it: a SAFE verdict must
 * come from the whole space, and a VIOLATION's counterexample must be the expected kernel bug and
 * replay to the same trace. Failure messages carry the rendered result.
 *
 * <p>For sampled exploration (a random walk, PCT) with seeds a property picks, {@link #assertSampled}
 * checks what a sample can promise against the verdict the exhaustive exploration gives.
 *
 * <pre>{@code
 * Exploration e = new Exploration(Scenarios.get("gup-fast-vs-munmap"), Map.of(),
 *         Worlds.variant("arm64:4k", KernelVersion.LATEST), KernelVersion.LATEST.with(GupPatches.NO_IRQ_DISABLE));
 * Explorations.assertViolation(e, ViolationKind.USE_AFTER_FREE, "table");
 * }</pre>
 */
public final class Explorations {
    /** PCT's depth for the samplers: 3 (a bug that needs up to two forced preemptions). */
    public static final int PCT_DEPTH = 3;

    private Explorations() {
    }

    /** Explores {@code e} with the default strategy and checks it is SAFE with the whole space explored. */
    public static ExplorationResult assertSafe(Exploration e) {
        Validate.isTrue(e != null, "e must not be null");
        ExplorationResult r = e.explore();
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertTrue(r.exhausted(), "SAFE must mean the whole space was explored: " + r.render());
        return r;
    }

    /**
     * Explores {@code e} and checks it finds a violation of {@code kind} whose message contains
     * {@code where}, and that replaying the counterexample's schedule reproduces its trace exactly.
     *
     * @return the first counterexample
     */
    public static Counterexample assertViolation(Exploration e, ViolationKind kind, String where) {
        Validate.isTrue(e != null, "e must not be null");
        Validate.isTrue(kind != null, "kind must not be null");
        Validate.isTrue(where != null, "where must not be null");
        ExplorationResult r = e.explore();
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(kind, cx.violation().kind(), r.render());
        assertTrue(cx.violation().message().contains(where), cx.violation().message());
        assertEquals(cx.trace().render(), e.replay(cx.schedule()).render(), "replay reproduces the trace");
        return cx;
    }

    /** The samplers a seed gives: a random walk and PCT of {@link #PCT_DEPTH}, {@code schedules} each. */
    public static List<Strategy> samplers(long seed, long schedules) {
        return List.of(Strategy.random(seed, schedules), Strategy.pct(seed, PCT_DEPTH, schedules));
    }

    /**
     * Samples {@code e} with each of {@link #samplers samplers(seed, schedules)} and checks the
     * samples against {@code exhaustive}, the verdict exhaustive exploration gives (see
     * {@link #assertSafe} and {@link #assertViolation}). Only what a sample can promise: for SAFE,
     * that no sampled schedule violates anything; for VIOLATION, not that one is found (a sample
     * may miss it), but that every violation sampled is of {@code kind} and that replaying the
     * shortest one's schedule reproduces its trace. Not where it happens: the exhaustive search
     * reports the first violation it meets, and a scenario may have others of the same kind
     * elsewhere (x86's gup-fast-vs-evict under split RCU flavours dereferences the freed address
     * space in shmem_mapping() and in folio_is_secretmem()).
     *
     * @param kind for a VIOLATION, the kind every sampled violation must have; else ignored
     * @return how many samplers found a violation (0 for SAFE)
     */
    public static int assertSampled(Exploration e, Verdict exhaustive, ViolationKind kind, long seed,
                                    long schedules) {
        Validate.isTrue(e != null, "e must not be null");
        Validate.isTrue(exhaustive == Verdict.SAFE || exhaustive == Verdict.VIOLATION,
                "exhaustive must be SAFE or VIOLATION, was %s", exhaustive);
        Validate.isTrue(exhaustive == Verdict.SAFE || kind != null, "kind must be given for a VIOLATION");
        Validate.isTrue(schedules > 0, "schedules must be positive, was %d", schedules);
        int found = 0;
        for (Strategy s : samplers(seed, schedules)) {
            // On past the first violation, so that every sampled one is counted by kind.
            ExplorationResult r = e.explore(s, ExploreOptions.DEFAULTS.withStopOnFirstViolation(false));
            String what = e.scenario().name() + e.params() + " " + e.arch().fullName() + " " + e.kernel() + " "
                    + s + ":\n" + r.render();
            assertEquals(schedules, r.schedules(), what);
            if (exhaustive == Verdict.SAFE) {
                assertEquals(Verdict.SAFE, r.verdict(), what);
                continue;
            }
            Optional<Counterexample> cx = r.firstViolation();
            if (cx.isEmpty()) {
                continue;
            }
            found++;
            assertEquals(List.of(kind.name()), List.copyOf(r.violations().keySet()), what);
            assertEquals(cx.get().trace().render(), e.replay(cx.get().schedule()).render(),
                    "replay reproduces the trace: " + what);
        }
        return found;
    }
}
