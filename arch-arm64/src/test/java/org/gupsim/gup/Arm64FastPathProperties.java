package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.Arm64Mappings.Backing;
import org.gupsim.scenario.World;
import org.gupsim.testkit.FastSlowAgreement;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * On every arm64 variant, GUP-fast alone never grants what the slow path refuses
 * ({@link FastSlowAgreement}): arch-x86's FastPathProperties with the variant generated too (each
 * with a kernel that has it), and the contiguous-PTE and contiguous-PMD hugetlb sizes among the
 * backings. The posted v6 and v7 patches violated this; see
 * {@link FastSlowAgreement#knownPostingDivergence}. Where GUP-fast reads the stack instead
 * ({@link Arm64Mappings#strayStackRead}) there is nothing to compare.
 */
class Arm64FastPathProperties {

    record Setup(String variant, KernelVersion kernel, Backing backing, boolean shared, Touch touch, Prot prot,
                 GupCall call) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return GupArbitraries.kernels().flatMap(k -> Combinators.combine(
                        Arbitraries.of(Arm64Mappings.variants(k).stream()
                                .filter(v -> !Arm64Mappings.strayStackRead(v, k)).toList()),
                        Arbitraries.of(Backing.class), Arbitraries.of(true, false), Arbitraries.of(Touch.class),
                        Arbitraries.of(Prot.class), GupArbitraries.calls())
                .as((v, b, shared, touch, prot, call) -> new Setup(v, k, b, shared, touch, prot, call)));
    }

    private static Mapped build(Setup s) {
        World w = Arm64Mappings.boot(s.variant(), s.kernel());
        if (!Arm64Mappings.fits(w, s.backing())) {
            w.teardown();
            return null;
        }
        return Arm64Mappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), 8);
    }

    @Property(tries = 300)
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(() -> build(s), s.call());
        if (o == null) {
            return; // mmap refused the setup (private secretmem), or a 512M huge page: nothing to pin
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        if (FastSlowAgreement.knownPostingDivergence(s.kernel(), s.call(), s.backing().backing, s.shared())) {
            Statistics.label("posting bug shown").collect(!o.agrees());
        } else {
            assertTrue(o.agrees(), s + ": " + o);
        }
    }
}
