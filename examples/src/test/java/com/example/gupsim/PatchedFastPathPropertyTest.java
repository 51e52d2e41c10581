package com.example.gupsim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Worlds;

/**
 * The check any GUP-fast change must pass, on the patched kernel: whatever GUP-fast takes, the
 * slow path (which has the VMA) takes too, for every mapping the testkit draws, on every variant
 * of x86-64 and arm64 and every released kernel. It caught the patch's first draft, which ran
 * the check inside try_grab_folio() as v6 did and switched the kernel's own secretmem check off:
 * there the check sees FOLL_PIN calls only, so a FOLL_GET took secretmem pages the slow path
 * refuses.
 */
class PatchedFastPathPropertyTest {
    private static final Patch PATCH = KernelCatalogue.get().patch("v6-check-without-rcu");

    record Setup(String variant, KernelVersion kernel, Mapping mapping, GupCall call) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(GupArbitraries.variants(), GupArbitraries.releasedKernels())
                .flatAs((variant, kernel) -> Combinators.combine(
                                GupArbitraries.mappings(Worlds.variant(variant, kernel), 8, 2L << 20),
                                GupArbitraries.calls())
                        .as((mapping, call) -> new Setup(variant, kernel, mapping, call)));
    }

    @Property(tries = 300)
    void fastPathNeverGrantsWhatSlowPathRefuses(@ForAll("setups") Setup s) {
        var kernel = s.kernel().with(PATCH);
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(
                () -> s.mapping().map(Worlds.boot(s.variant(), kernel, 64L << 20)), s.call());
        if (o != null) {                                      // null: mmap refused it (private secretmem)
            assertTrue(o.agrees(), s + " with " + PATCH.name() + ": " + o);
        }
    }
}
