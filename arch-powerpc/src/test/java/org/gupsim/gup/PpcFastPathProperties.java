package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.PpcMappings.Backing;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * GUP-fast alone never grants what the slow path refuses ({@link FastSlowAgreement}), on every
 * powerpc variant. The v6 and v7 postings of the long-term write-pin series broke this by design
 * on every architecture; those setups are excused ({@link FastSlowAgreement#knownPostingDivergence}).
 * The giant PUD pages ({@link PpcMappings#GIANT_PAGES}: radix-4k's 1G, hash's 16G) are left out,
 * each costing as much as a hundred other setups; PpcHugeLeafTest runs both paths over them on
 * every variant.
 */
class PpcFastPathProperties {

    record Setup(String variant, KernelVersion kernel, Backing backing, boolean shared, Touch touch, Prot prot,
                 GupCall call) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Arbitraries.of(PpcMappings.VARIANTS).flatMap(v -> Combinators.combine(
                Arbitraries.just(v), GupArbitraries.kernels(), Arbitraries.of(PpcMappings.nonGiantBackings(v)),
                Arbitraries.of(true, false), Arbitraries.of(Touch.class), Arbitraries.of(Prot.class),
                GupArbitraries.calls())
                .as(Setup::new));
    }

    private static Mapped build(Setup s) {
        return PpcMappings.map(PpcMappings.boot(s.variant(), s.kernel(), s.backing()), s.backing(), s.shared(),
                s.touch(), s.prot(), 8);
    }

    @Property(tries = 300)
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(() -> build(s), s.call());
        if (o == null) {
            return; // mmap refused the setup (private secretmem)
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        if (FastSlowAgreement.knownPostingDivergence(s.kernel(), s.call(), s.backing().backing, s.shared())) {
            Statistics.label("posting bug shown").collect(!o.agrees());
        } else {
            assertTrue(o.agrees(), s + ": " + o);
        }
    }
}
