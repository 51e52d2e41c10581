package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The property every GUP-fast change must keep, on one architecture: GUP-fast alone never grants
 * what the slow path refuses ({@link FastSlowAgreement}), over the setups the architecture
 * generates ({@link #setups}: its variants, the kernels that have them, every mapping shape and
 * placement it has) and every GUP call. The v6 and v7 postings of the long-term write-pin series
 * broke it by design of their bugs; those setups are excused
 * ({@link FastSlowAgreement#knownPostingDivergence}) and counted. An architecture module's test
 * subclasses this and says how many tries with jqwik's {@code @PropertyDefaults}.
 */
public abstract class FastSlowAgreementSuite {

    /** The setups to draw, e.g. {@code GupArbitraries.setups("s390", GupArbitraries.kernels(), 8, placements)}. */
    protected abstract Arbitrary<GupSetup> setups();

    @Provide
    Arbitrary<GupSetup> gupSetups() {
        return setups();
    }

    @Provide
    Arbitrary<GupCall> gupCalls() {
        return GupArbitraries.calls();
    }

    @Property
    void fastAloneNeverGrantsWhatSlowRefuses(@ForAll("gupSetups") GupSetup s, @ForAll("gupCalls") GupCall call) {
        FastSlowAgreement.Outcome o = FastSlowAgreement.run(s::build, call);
        if (o == null) {
            return; // mmap refused the setup (private secretmem): nothing to pin
        }
        Statistics.label("fast path took").collect(o.fastTakenLabel());
        if (FastSlowAgreement.knownPostingDivergence(s.kernel(), call, s.mapping())) {
            Statistics.label("posting bug shown").collect(!o.agrees());
        } else {
            assertTrue(o.agrees(), s + ", " + call + ": " + o);
        }
    }
}
