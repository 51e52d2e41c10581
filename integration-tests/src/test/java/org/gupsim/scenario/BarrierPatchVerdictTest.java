package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.AnonPatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15's barrier verdicts, each from an exhaustive exploration under store buffers: without
 * 088b8aa537c2's barriers ({@code no-anon-exclusive-barriers}) swap-out clears PageAnonExclusive
 * under GUP-fast's pin on arm64 and ppc64 under their own memory models ({@code --memory-model
 * arch}), and the shortest counterexample replays exactly; the same kernel stays SAFE on x86-64
 * (TSO: its atomics are locked, full barriers), under sequential consistency, and every kernel with
 * the barriers stays SAFE. Migration and KSM keep their reference checks, which need no barrier, so
 * they stay SAFE even without them. Migration under arm64 is also the regression test of a fault
 * that retried forever under a weak model (the migration-entry wait woke on a store still in the
 * migrating CPU's buffer).
 */
class BarrierPatchVerdictTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();
    /** Enough for every cell here to be explored completely. */
    private static final ExploreOptions OPTIONS = ExploreOptions.DEFAULTS.withMaxSchedules(2_000_000).withThreads(2);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("gup-fast-vs-swapout", "arm64", true, "arch", ViolationKind.PIN_LOST),
                Arguments.of("gup-fast-vs-swapout", "ppc64", true, "arch", ViolationKind.PIN_LOST),
                Arguments.of("gup-fast-vs-swapout", "x86_64", true, "arch", null),
                Arguments.of("gup-fast-vs-swapout", "arm64", true, "sc", null),
                Arguments.of("gup-fast-vs-swapout", "arm64", false, "arch", null),
                Arguments.of("gup-fast-vs-swapout", "ppc64", false, "arch", null),
                Arguments.of("gup-fast-vs-migrate", "arm64", false, "arch", null),
                Arguments.of("gup-fast-vs-migrate", "arm64", true, "arch", null),
                Arguments.of("gup-fast-vs-ksm", "arm64", true, "arch", null));
    }

    /**
     * 088b8aa537c2's KSM example ({@code gup-fast-vs-ksm} with {@code pin=read}): a read-only pin
     * of an exclusive page whose PTE is read-only and clean, which ksmd write-protects in place
     * (clear, flush, clear PageAnonExclusive, the same PTE back). Only GUP-fast's flag check can
     * stop the pin; with the barrier pair it always sees the clear. Without it, arm64 and power let
     * the restored PTE become visible before the cleared flag (message passing: a store passing a
     * store, which the explorer's per-location store buffers show; no load has to pass a load):
     * GUP-fast's recheck sees the PTE unchanged, its flag check the old flag, and the pin is taken
     * on a page KSM then merges (PIN_LOST). x86 keeps stores in order (tso), and sequential
     * consistency everything, so those are SAFE with the patch; every SAFE cell reaches both ends:
     * the pin taken and refused.
     */
    static Stream<Arguments> readPinCases() {
        return Stream.of(
                Arguments.of("arm64", true, "arch", ViolationKind.PIN_LOST),
                Arguments.of("ppc64", true, "arch", ViolationKind.PIN_LOST),
                Arguments.of("arm64", false, "arch", null),
                Arguments.of("ppc64", false, "arch", null),
                Arguments.of("x86_64", true, "arch", null),
                Arguments.of("arm64", true, "sc", null),
                Arguments.of("x86_64", true, "sc", null));
    }

    @ParameterizedTest(name = "gup-fast-vs-ksm[pin=read] on {0}, patched {1}, memory model {2} -> {3}")
    @MethodSource("readPinCases")
    void readOnlyPinAgainstKsm(String arch, boolean patched, String model, ViolationKind expected) {
        ExplorationResult r = assertVerdict("gup-fast-vs-ksm", Map.of("pin", "read"), arch, patched, model, expected);
        if (expected == null) {
            assertTrue(r.outcomes().containsKey("pinned=0"), r.render());
        }
    }

    @ParameterizedTest(name = "{0} on {1}, patched {2}, memory model {3} -> {4}")
    @MethodSource("cases")
    void verdict(String scenario, String arch, boolean patched, String model, ViolationKind expected) {
        assertVerdict(scenario, Map.of(), arch, patched, model, expected);
    }

    /**
     * Explores {@code scenario} to the end and checks its verdict: SAFE with a pin taken, or the
     * {@code expected} violation with a counterexample that replays exactly.
     */
    private static ExplorationResult assertVerdict(String scenario, Map<String, String> params, String arch,
            boolean patched, String model, ViolationKind expected) {
        Kernel kernel = patched ? KernelVersion.LATEST.with(AnonPatches.NO_ANON_EXCLUSIVE_BARRIERS)
                : KernelVersion.LATEST;
        ArchVariant variant = ARCHES.parse(arch, kernel);
        Exploration e = new Exploration(Scenarios.get(scenario), params, variant, kernel,
                new MemoryModelChoice(model).resolve(variant));
        // A violation is searched to the end too, so that the counterexample is the shortest.
        ExplorationResult r = e.explore(Strategy.dpor(), OPTIONS.withStopOnFirstViolation(expected == null));
        assertTrue(r.exhausted(), "the verdict needs the whole space: " + r.render());
        if (expected == null) {
            assertEquals(Verdict.SAFE, r.verdict(), r.render());
            assertTrue(r.outcomes().containsKey("pinned=1"), r.render());
            return r;
        }
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(expected, cx.violation().kind(), r.render());
        assertEquals(cx.trace().render(), e.replay(cx.schedule()).render(), "the counterexample replays exactly");
        return r;
    }
}
