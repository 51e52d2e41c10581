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

/**
 * The testkit example of README.md ("Property tests of your own"), on the class path the README
 * asks for: every arch module beside the testkit. {@link ReadmeTestkitExampleTextTest} checks that
 * this class is the README's code, line for line.
 */
class TestkitExampleTest {

    record Setup(String variant, KernelVersion kernel, Mapping mapping, GupCall call) {
    }

    /** Released 6.10 on arm64:16k-52 reads a stack word in GUP-fast (fixed by 36639013b346): a real bug, left out. */
    static boolean knownKernelBug(String variant, KernelVersion kernel) {
        return variant.equals("arm64:16k-52") && kernel == KernelVersion.V6_10;
    }

    @Provide
    Arbitrary<Setup> setups() {
        return GupArbitraries.releasedKernels().flatMap(kernel -> GupArbitraries.variants(kernel)
                .filter(variant -> !knownKernelBug(variant, kernel))
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
