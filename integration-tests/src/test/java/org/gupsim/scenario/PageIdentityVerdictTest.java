package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.Architecture;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.AnonPatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verdicts of issue 14, each from an exhaustive exploration on every architecture's default
 * variant: the current kernel keeps every pin on the page the process maps, exclusively, in
 * gup-fast-vs-fork, -swapout, -migrate and -ksm; each history patch loses a pin (the pin-lost
 * check) in the scenario of the race it reopens, and the shortest trace (the whole space searched)
 * replays exactly. Where a
 * patch only removes one of two defences the scenario stays SAFE: migration and KSM also compare
 * reference counts, so without the share-time pin check they still refuse a pinned page.
 */
class PageIdentityVerdictTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();
    private static final Kernel LATEST = KernelVersion.LATEST;
    private static final Map<String, String> EXT4 = Map.of("backing", "ext4");
    /** Enough for every cell of these scenarios to be explored completely. */
    private static final ExploreOptions OPTIONS = ExploreOptions.DEFAULTS.withMaxSchedules(2_000_000);

    record Case(String scenario, Map<String, String> params, String arch, Patch patch, ViolationKind kind) {
        Case(String scenario, String arch, Patch patch, ViolationKind kind) {
            this(scenario, Map.of(), arch, patch, kind);
        }

        Kernel kernel() {
            return patch == null ? LATEST : LATEST.with(patch);
        }

        @Override
        public String toString() {
            return scenario + params + " on " + arch + (patch == null ? "" : " with " + patch.name()) + " -> "
                    + (kind == null ? "SAFE" : kind.name());
        }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Architecture a : ARCHES.architectures()) {
            String arch = a.name() + ":" + a.defaultVariant(LATEST);
            for (String s : List.of("gup-fast-vs-fork", "gup-fast-vs-swapout", "gup-fast-vs-migrate", "gup-fast-vs-ksm")) {
                b.add(Arguments.of(new Case(s, arch, null, null)));
            }
            b.add(Arguments.of(new Case("gup-fast-vs-fork", arch, AnonPatches.NO_WRITE_PROTECT_SEQ, ViolationKind.PIN_LOST)));
            b.add(Arguments.of(new Case("gup-fast-vs-fork", arch, AnonPatches.NO_EARLY_COW, ViolationKind.PIN_LOST)));
            b.add(Arguments.of(new Case("gup-fast-vs-swapout", arch, AnonPatches.NO_ANON_SHARE_PIN_CHECK,
                    ViolationKind.PIN_LOST)));
            b.add(Arguments.of(new Case("gup-fast-vs-migrate", arch, AnonPatches.NO_ANON_SHARE_PIN_CHECK, null)));
            b.add(Arguments.of(new Case("gup-fast-vs-ksm", arch, AnonPatches.NO_ANON_SHARE_PIN_CHECK, null)));
            // Item 4: a private ext4 mapping that was only read. The pin's write fault makes the
            // anonymous CoW copy it pins; fork must then copy that for the child. GUP-fast never
            // pins a read-only PTE for writing, so write_protect_seq has nothing to catch here.
            b.add(Arguments.of(new Case("gup-fast-vs-fork", EXT4, arch, null, null)));
            b.add(Arguments.of(new Case("gup-fast-vs-fork", EXT4, arch, AnonPatches.NO_EARLY_COW,
                    ViolationKind.PIN_LOST)));
            b.add(Arguments.of(new Case("gup-fast-vs-fork", EXT4, arch, AnonPatches.NO_WRITE_PROTECT_SEQ, null)));
        }
        // The KSM race with GUP-fast's slow path running beside ksmd, where flushes are broadcast
        // (with IPIs it is some 70000 interleavings: the other architectures stand for it).
        b.add(Arguments.of(new Case("gup-fast-vs-ksm", Map.of("fallback", "slow"), "arm64", null, null)));
        // The swap-out race with the slow path's swap-in fault beside the pageout (13,600
        // schedules on arm64, past compare's default cap, so not the default).
        b.add(Arguments.of(new Case("gup-fast-vs-swapout", Map.of("fallback", "slow"), "arm64", null, null)));
        // Migration on paravirt: the hypervisor thread (it preempts and resumes the GUP-fast vCPU
        // once, and shares the steal-time byte with the guest's flushes) makes 177,428 schedules
        // of native-rcu's 1,390, past compare's default cap of 10,000
        // (its cells say "partial"); explored to the end it is SAFE, every execution finished.
        b.add(Arguments.of(new Case("gup-fast-vs-migrate", "x86_64:paravirt", null, null)));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        Exploration e = new Exploration(Scenarios.get(c.scenario()), c.params(), ARCHES.parse(c.arch(), c.kernel()),
                c.kernel());
        // A violation is searched to the end too, so that the counterexample is the shortest.
        ExplorationResult r = e.explore(Strategy.dpor(), OPTIONS.withStopOnFirstViolation(c.kind() == null));
        if (c.kind() == null) {
            assertEquals(Verdict.SAFE, r.verdict(), r.render());
            assertTrue(r.exhausted(), "SAFE must cover the whole space: " + r.render());
            assertTrue(r.outcomes().containsKey("pinned=1"), r.render());
            return;
        }
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(c.kind(), cx.violation().kind(), r.render());
        assertTrue(r.exhausted(), "the shortest counterexample needs the whole space: " + r.render());
        assertEquals(cx.trace().render(), e.replay(cx.schedule()).render(), "the counterexample replays exactly");
    }
}
