package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.lang3.Validate;
import org.gupsim.scenario.Exploration;
import org.gupsim.sched.Counterexample;
import org.gupsim.sched.ExplorationResult;
import org.gupsim.sched.Verdict;
import org.gupsim.sched.ViolationKind;

/**
 * Checks of an exhaustive exploration's verdict with the evidence behind it: a SAFE verdict must
 * come from the whole space, and a VIOLATION's counterexample must be the expected kernel bug and
 * replay to the same trace. Failure messages carry the rendered result.
 *
 * <pre>{@code
 * Exploration e = new Exploration(Scenarios.get("gup-fast-vs-munmap"), Map.of(),
 *         Worlds.variant("arm64:4k", KernelVersion.LATEST), KernelVersion.LATEST, EnumSet.of(Mutant.NO_IRQ_DISABLE));
 * Explorations.assertViolation(e, ViolationKind.USE_AFTER_FREE, "table");
 * }</pre>
 */
public final class Explorations {

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
}
