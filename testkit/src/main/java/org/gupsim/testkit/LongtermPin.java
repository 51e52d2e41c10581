package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumSet;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;

/**
 * One case of a long-term pinning table, as {@code tools/testing/selftests/mm/gup_longterm.c}
 * runs it: map the backing {@code PROT_READ|PROT_WRITE}, write every page, {@code mprotect()} it
 * {@code PROT_READ} for a read-only pin; then ask for a long-term pin of every page
 * ({@code FOLL_WRITE|FOLL_LONGTERM}, or {@code FOLL_LONGTERM} read-only) through
 * {@code pin_user_pages()} or {@code pin_user_pages_fast()}, and say what came of it. Write the
 * expected outcome from the rule you are checking, not from the model.
 */
public final class LongtermPin {

    private LongtermPin() {
    }

    /** What a case came to. */
    public enum Outcome {
        /** Every page pinned (each folio then reports {@code folio_maybe_dma_pinned()}). */
        PINNED,
        /** The pin was refused with EFAULT. */
        EFAULT,
        /** {@code mmap()} refused the mapping with EINVAL (private secretmem). */
        MMAP_EINVAL,
        /** io_uring refused the buffer with EOPNOTSUPP (before 6.5: a file other than shmem or hugetlbfs). */
        EOPNOTSUPP
    }

    /**
     * What a case came to, and the kernel's answer in words for the failure message.
     *
     * @param outcome the outcome, or null for one outside {@link Outcome} (a partial pin, another errno)
     * @param detail  the GUP result or the mmap errno
     */
    public record Result(Outcome outcome, String detail) {
    }

    /**
     * Runs one case on {@code w} and tears it down: the mapping is {@code backing} written
     * ({@link Touch#WRITE}) and left {@link Prot#RW} or {@link Prot#RO} by {@code writable}. After
     * the pin the accounting must balance; what was pinned is unpinned and the world must tear
     * down clean.
     *
     * @param base     the backing, shape and placement; its touch and prot are overridden
     * @param writable a long-term write pin of a writable mapping, else a read pin of a read-only one
     * @param fast     {@code pin_user_pages_fast()}, else {@code pin_user_pages()} under the mmap lock
     */
    public static Result run(World w, Mapping base, boolean writable, boolean fast) {
        Validate.isTrue(base != null, "base must not be null");
        Mapping m = new Mapping(base.backing(), base.shared(), base.hugePageSize(), base.smallPages(), base.hint(),
                Touch.WRITE, writable ? Prot.RW : Prot.RO);
        Mapping.Attempt a = m.attempt(w);
        if (a.mapped() == null) {
            return new Result(a.refused() == Errno.EINVAL ? Outcome.MMAP_EINVAL : null, "mmap " + a.refused());
        }
        return pin(a.mapped(), writable, fast);
    }

    /**
     * The pin of a case over a mapping already set up (written, and read-only if not
     * {@code writable}), then the accounting check, the unpin and the clean teardown of its world.
     */
    public static Result pin(Mapped mapped, boolean writable, boolean fast) {
        Validate.isTrue(mapped != null, "mapped must not be null");
        World w = mapped.world();
        GupCall call = new GupCall(GupCall.Kind.PIN,
                writable ? EnumSet.of(Foll.WRITE, Foll.LONGTERM) : EnumSet.of(Foll.LONGTERM));
        int n = mapped.nrPages();
        Page[] pages = new Page[n];
        GupResult r = fast ? call.runFast(mapped, pages) : call.runSlow(mapped, pages);
        Outcome outcome = r.ret() == n ? Outcome.PINNED : r.ret() == Errno.EFAULT.negative() ? Outcome.EFAULT : null;
        if (outcome == Outcome.PINNED) {
            for (int i = 0; i < n; i++) {
                if (pages[i] == null || !pages[i].folio().maybeDmaPinned()) { // no message per page of a 1G page
                    fail("page " + i + " pinned: " + r);
                }
            }
        }
        Worlds.assertNoViolations(w.checkAccounting(), "accounting");
        call.release(w, pages, r.pages());
        mapped.assertTearsDownClean("teardown");
        return new Result(outcome, r.toString());
    }

    /** {@link #run} and the check that it came to {@code expected}; {@code what} names the case in the message. */
    public static void assertOutcome(Outcome expected, World w, Mapping base, boolean writable, boolean fast,
                                     String what) {
        Result r = run(w, base, writable, fast);
        assertEquals(expected, r.outcome(), what + ": got " + r.detail());
    }
}
