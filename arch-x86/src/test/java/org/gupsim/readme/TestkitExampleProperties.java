package org.gupsim.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.gupsim.gup.KernelVersion;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Worlds;

/** The testkit example of README.md ("Property tests of your own"), kept compiling and true. Keep the two in step. */
class TestkitExampleProperties {

    record Setup(String variant, KernelVersion kernel, Mapping mapping, GupCall call) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return GupArbitraries.releasedKernels().flatMap(kernel -> GupArbitraries.variants(kernel)
                .flatMap(variant -> Combinators.combine(
                                GupArbitraries.mappings(Worlds.variant(variant, kernel), 8, 2L << 20),
                                GupArbitraries.calls())
                        .as((mapping, call) -> new Setup(variant, kernel, mapping, call))));
    }

    /** Every page GUP-fast takes, the slow path takes too: on every variant of every arch on the class path. */
    @Property(tries = 200)
    void fastPathNeverGrantsWhatSlowPathRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(
                () -> s.mapping().map(Worlds.boot(s.variant(), s.kernel(), 64L << 20)), s.call());
        if (o != null) {                                      // null: mmap refused it (private secretmem)
            assertTrue(o.agrees(), s + ": " + o);
        }
    }
}
