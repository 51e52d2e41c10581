package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.TestMappings.Backing;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * GUP-fast alone never grants what the slow path refuses ({@link FastSlowAgreement}), on x86-64
 * for every kernel, backing, touch, protection and call. The posted v6 and v7 patches violated
 * this; see {@link FastSlowAgreement#knownPostingDivergence}.
 */
class FastPathProperties {

    record Setup(KernelVersion kernel, Backing backing, boolean shared, Touch touch, Prot prot, GupCall call) {
        Mapping mapping() {
            return backing.mapping(shared, touch, prot, 8);
        }
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                GupArbitraries.kernels(), Arbitraries.of(Backing.class), Arbitraries.of(true, false),
                Arbitraries.of(Touch.class), Arbitraries.of(Prot.class), GupArbitraries.calls())
                .as(Setup::new);
    }

    private static Mapped build(Setup s) {
        return s.mapping().map(TestMappings.boot(s.kernel(), 16));
    }

    @Property(tries = 500)
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(() -> build(s), s.call());
        if (o == null) {
            return; // mmap refused the setup (private secretmem): nothing to pin
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        if (FastSlowAgreement.knownPostingDivergence(s.kernel(), s.call(), s.mapping())) {
            Statistics.label("posting bug shown").collect(!o.agrees());
        } else {
            assertTrue(o.agrees(), s + ": " + o);
        }
    }
}
