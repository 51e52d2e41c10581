package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.function.Supplier;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupFeatures;
import org.gupsim.gup.GupResult;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Backing;

/**
 * GUP-fast alone never grants what the slow path refuses: the lockless walk has no VMA, so it
 * must bail out whenever the VMA could say no and leave the decision to the slow path. This is
 * the property any change to the fast path must keep, checked on two identical machines.
 *
 * <p>{@link #run} builds the same setup twice. On the first machine only the fast path runs
 * ({@link GupCall#runFast}: {@code get_user_pages_fast_only()}, or the prefix
 * {@code pin_user_pages_fast()} pinned before any fallback). On the second the slow path alone
 * runs, under the mmap lock. Every page the fast path took must be taken by the slow path too,
 * and be the same page ({@link Outcome#agrees()}). Both machines must tear down clean.
 */
public final class FastSlowAgreement {

    private FastSlowAgreement() {
    }

    /**
     * What the two paths took over the same setup.
     *
     * @param call      the call made
     * @param nrPages   the pages asked for
     * @param fastTaken the pages the fast path itself took
     * @param slow      the slow path's result
     * @param fastPfns  the page frames the fast path took, in order
     * @param slowPfns  the page frames the slow path took, in order
     */
    public record Outcome(GupCall call, int nrPages, int fastTaken, GupResult slow, long[] fastPfns, long[] slowPfns) {

        /** Whether the slow path took every page the fast path took, and the same ones. */
        public boolean agrees() {
            return slowPfns.length >= fastPfns.length
                    && Arrays.equals(fastPfns, Arrays.copyOf(slowPfns, fastPfns.length));
        }

        /** For statistics: whether the fast path took {@code nothing}, {@code all} or {@code a prefix}. */
        public String fastTakenLabel() {
            return fastTaken == 0 ? "nothing" : fastTaken == nrPages ? "all" : "a prefix";
        }

        @Override
        public String toString() {
            return call + ": GUP-fast took " + fastTaken + " of " + nrPages + " pages " + Arrays.toString(fastPfns)
                    + ", the slow path " + slow + " " + Arrays.toString(slowPfns);
        }
    }

    /**
     * Runs {@code call} fast-only on one machine {@code setup} makes and slow-only on a second,
     * releases what each took and checks that both tear down clean.
     *
     * @param setup makes a fresh machine with the mapping, or returns null when the setup does
     *              not apply (mmap refused it); it must give the same answer each time
     * @return what the two paths took, or null if {@code setup} returned null
     */
    public static Outcome run(Supplier<Mapped> setup, GupCall call) {
        Validate.isTrue(setup != null, "setup must not be null");
        Validate.isTrue(call != null, "call must not be null");
        Mapped fast = setup.get();
        if (fast == null) {
            return null;
        }
        int n = fast.nrPages();
        Page[] fastPages = new Page[n];
        GupResult fr = call.runFast(fast, fastPages);
        if (call.kind() == GupCall.Kind.GET) {
            assertEquals(GupResult.Path.FAST, fr.path(), "get_user_pages_fast_only() must not fall back: " + fr);
        }
        int fastTaken = call.fastTaken(fr);
        long[] fastPfns = pfns(fastPages, fastTaken);
        call.release(fast.world(), fastPages, fr.pages());
        fast.assertTearsDownClean("teardown of the fast-path machine");

        Mapped slow = setup.get();
        assertNotNull(slow, "the setup must apply to the second machine as to the first");
        Page[] slowPages = new Page[n];
        GupResult sr = call.runSlow(slow, slowPages);
        long[] slowPfns = pfns(slowPages, sr.pages());
        call.release(slow.world(), slowPages, sr.pages());
        slow.assertTearsDownClean("teardown of the slow-path machine");
        return new Outcome(call, n, fastTaken, sr, fastPfns, slowPfns);
    }

    private static long[] pfns(Page[] pages, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = pages[i].pfn();
        }
        return out;
    }

    /**
     * Whether the v6 or v7 posting of the long-term write-pin series is known to break the
     * property for this setup (spec §4, §7, kernel-facts Q1; that is how review and testing
     * caught them). v6's inverted slow-path check refused long-term write pins of exactly the
     * shmem and hugetlbfs VMAs (everything but private anonymous and dirty-tracked file VMAs)
     * whose folios its fast path allowed. v7's slow check, lacking the VM_SHARED test and applied
     * to any FOLL_PIN write, refused dirty-tracked file VMAs (private ones too) that its fast path
     * allowed: written private pages are anonymous CoW copies, and without FOLL_LONGTERM the fast
     * path checks nothing. Only those setups, and only on those postings.
     */
    public static boolean knownPostingDivergence(Kernel kernel, GupCall call, Backing backing, boolean shared) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        Validate.isTrue(call != null, "call must not be null");
        Validate.isTrue(backing != null, "backing must not be null");
        if (call.kind() != GupCall.Kind.PIN || !call.flags().contains(Foll.WRITE)) {
            return false;
        }
        boolean anonVma = backing == Backing.ANON && !shared;
        boolean dirtyTracked = backing.fsType() != null && backing.fsType().dirtyTracked();
        return switch (kernel.get(GupFeatures.SLOW_FILE_CHECK)) {
            case V6_INVERTED -> call.flags().contains(Foll.LONGTERM) && !anonVma && !dirtyTracked;
            case V7_PIN_OR_LONGTERM -> dirtyTracked;
            default -> false;
        };
    }

    /** {@link #knownPostingDivergence(Kernel, GupCall, Backing, boolean)} of a mapping's backing. */
    public static boolean knownPostingDivergence(Kernel kernel, GupCall call, Mapping m) {
        Validate.isTrue(m != null, "m must not be null");
        return knownPostingDivergence(kernel, call, m.backing(), m.shared());
    }
}
