package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.S390Mappings.Backing;
import org.gupsim.gup.S390Mappings.Where;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * On s390, GUP-fast alone never grants what the slow path refuses ({@link FastSlowAgreement}),
 * on every variant and at 3, 4 and 5 levels. The kernels are the released ones (the v6/v7
 * postings broke this property by design of their bugs; arch-x86 shows that). The giant 2G page
 * is left out, costing as much as a hundred other setups; WalkAgreementProperties runs both
 * paths over it on every variant and S390LongtermRuleTableTest pins it long-term.
 */
class S390FastPathProperties {

    record Setup(String variant, KernelVersion kernel, Backing backing, boolean shared, Where where, Touch touch,
                 Prot prot, GupCall call) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        // A kernel first, then an s390 variant it has (fragments before 6.7, default from 6.7).
        return GupArbitraries.releasedKernels().flatMap(k -> Combinators.combine(
                        Arbitraries.of(GupArbitraries.variantSpecs("s390", k)),
                        Arbitraries.of(Backing.class).filter(b -> !b.giant()), Arbitraries.of(true, false),
                        Arbitraries.of(Where.class),
                        Arbitraries.of(Touch.class), Arbitraries.of(Prot.class), GupArbitraries.calls())
                .as((v, b, shared, where, touch, prot, call) -> new Setup(v, k, b, shared, where, touch, prot, call)));
    }

    private static Mapped build(Setup s) {
        String variant = s.variant().substring("s390:".length());
        return S390Mappings.map(S390Mappings.boot(variant, s.kernel(), 16), s.backing(), s.shared(), s.where(),
                s.touch(), s.prot(), 6);
    }

    @Property(tries = 300)
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(() -> build(s), s.call());
        if (o == null) {
            return; // private secretmem: mmap refuses
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        assertTrue(o.agrees(), s + ": " + o);
    }
}
