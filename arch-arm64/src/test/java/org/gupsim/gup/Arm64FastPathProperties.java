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
import org.gupsim.gup.Arm64Mappings.VariantBacking;
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
 *
 * <p>The giant hugetlb pages ({@link Arm64Mappings#GIANT_PAGES}: 1G with 4K and 16K granules,
 * 16G with 64K) are left out of the generated setups, each costing as much as a hundred others:
 * Arm64WalkAgreementProperties compares both paths over them on every variant, and
 * Arm64LongtermRuleTableTest pins them long-term on one variant per granule.
 */
class Arm64FastPathProperties {

    record Setup(VariantBacking vb, KernelVersion kernel, boolean shared, Touch touch, Prot prot, GupCall call) {
    }

    /** Variant and backing are drawn together from the pairs that exist (giants aside), so no try is skipped. */
    @Provide
    Arbitrary<Setup> setups() {
        return GupArbitraries.kernels().flatMap(k -> Combinators.combine(
                        Arbitraries.of(Arm64Mappings.nonGiantVariantBackings(k).stream()
                                .filter(vb -> !Arm64Mappings.strayStackRead(vb.variant(), k)).toList()),
                        Arbitraries.of(true, false), Arbitraries.of(Touch.class), Arbitraries.of(Prot.class),
                        GupArbitraries.calls())
                .as((vb, shared, touch, prot, call) -> new Setup(vb, k, shared, touch, prot, call)));
    }

    private static Mapped build(Setup s) {
        Backing b = s.vb().backing();
        return Arm64Mappings.map(Arm64Mappings.boot(s.vb().variant(), s.kernel(), b), b, s.shared(), s.touch(),
                s.prot(), 8);
    }

    @Property(tries = 300)
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("setups") Setup s) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(() -> build(s), s.call());
        if (o == null) {
            return; // mmap refused the setup (private secretmem): nothing to pin
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        if (FastSlowAgreement.knownPostingDivergence(s.kernel(), s.call(), s.vb().backing().backing, s.shared())) {
            Statistics.label("posting bug shown").collect(!o.agrees());
        } else {
            assertTrue(o.agrees(), s + ": " + o);
        }
    }
}
