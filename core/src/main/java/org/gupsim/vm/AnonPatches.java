package org.gupsim.vm;

import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/**
 * Patches that undo what keeps a pinned page the one the process maps: fork's
 * {@code write_protect_seq}, fork's early CoW of pinned pages, and the pin check before an
 * exclusive anonymous page is made possibly shared.
 */
public final class AnonPatches implements PatchProvider {
    /** Fork without {@code mm->write_protect_seq} (before 57efa1fe5957). */
    public static final Patch NO_WRITE_PROTECT_SEQ = Patch.builder("no-write-protect-seq")
            .description("fork does not write mm->write_protect_seq; FOLL_PIN GUP-fast does not check it")
            .undoes("57efa1fe5957 \"mm/gup: prevent gup_fast from racing with COW during fork\"")
            .set(AnonFeatures.WRITE_PROTECT_SEQ, false)
            .build();

    /** Fork shares maybe-pinned anonymous pages like any other (before 70e806e4e645). */
    public static final Patch NO_EARLY_COW = Patch.builder("no-early-cow")
            .description("fork shares pinned anonymous pages copy-on-write instead of copying them for the child")
            .undoes("70e806e4e645 \"mm: Do early cow for pinned pages during fork() for ptes\"")
            .set(AnonFeatures.EARLY_COW, false)
            .build();

    /** {@code folio_try_share_anon_rmap_pte()} without its pin check. */
    public static final Patch NO_ANON_SHARE_PIN_CHECK = Patch.builder("no-anon-share-pin-check")
            .description("swap-out, migration and KSM make an exclusive anonymous page shared even if it may be pinned")
            .undoes("the folio_maybe_dma_pinned() check of folio_try_share_anon_rmap_pte(), from 6c287605fd56 "
                    + "\"mm: remember exclusively mapped anonymous pages with PG_anon_exclusive\"")
            .set(AnonFeatures.ANON_SHARE_PIN_CHECK, false)
            .build();

    /**
     * 088b8aa537c2 undone: the share-time pin check, GUP-fast's pin and {@code gup_must_unshare()}
     * without their barriers. SAFE under sequential consistency and where the architecture's own
     * atomics order enough (x86-64's locked instructions); a lost pin under a weaker model.
     */
    public static final Patch NO_ANON_EXCLUSIVE_BARRIERS = Patch.builder("no-anon-exclusive-barriers")
            .description("the share-time pin check, GUP-fast's pin and gup_must_unshare() without 088b8aa537c2's "
                    + "memory barriers")
            .undoes("088b8aa537c2 \"mm: fix PageAnonExclusive clearing racing with concurrent RCU GUP-fast\"")
            .set(AnonFeatures.ANON_EXCLUSIVE_BARRIERS, false)
            .build();
}
