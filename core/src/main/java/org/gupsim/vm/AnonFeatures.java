package org.gupsim.vm;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/**
 * The features of fork, copy-on-write and the unmapping of anonymous pages that keep a pinned
 * page the one the process maps, each with the commit that brought it (see
 * docs/kernel/fork-cow.md and docs/kernel/anon-exclusive.md).
 */
public final class AnonFeatures implements FeatureProvider {

    /**
     * Whether fork writes {@code mm->write_protect_seq} around copying a CoW mapping and a FOLL_PIN
     * GUP-fast reads it (57efa1fe5957, 5.11): without it GUP-fast can pin a page fork has just
     * decided to share, and fork then write-protects it under the pin.
     */
    public static final Feature<Boolean> WRITE_PROTECT_SEQ = Feature.builder("write-protect-seq", Boolean.class,
                    "whether fork writes mm->write_protect_seq and FOLL_PIN GUP-fast falls back when it changed")
            .initially("no", false, "fork does not tell GUP-fast; a pin can race with fork's write-protect",
                    "before 57efa1fe5957")
            .from("5.11", "yes", true, "raw_write_seqcount_begin/end around copy_page_range(); GUP-fast unpins "
                    + "and falls back to the slow path if it saw the count odd or changed",
                    "57efa1fe5957 \"mm/gup: prevent gup_fast from racing with COW during fork\"")
            .build();

    /**
     * Whether fork copies an exclusive anonymous page that may be pinned for the child instead of
     * sharing it (70e806e4e645, 5.9; {@code folio_needs_cow_for_dma()}).
     */
    public static final Feature<Boolean> EARLY_COW = Feature.builder("fork-early-cow", Boolean.class,
                    "whether fork copies maybe-pinned anonymous pages for the child instead of sharing them")
            .initially("no", false, "every private anonymous page is shared copy-on-write; the parent's next "
                    + "write moves it away from its pin", "before 70e806e4e645")
            .from("5.9", "yes", true, "folio_needs_cow_for_dma(): an exclusive page of an mm with MMF_HAS_PINNED "
                    + "that folio_maybe_dma_pinned() says may be pinned is copied at fork",
                    "70e806e4e645 \"mm: Do early cow for pinned pages during fork() for ptes\"")
            .build();

    /**
     * Whether an exclusive anonymous page that may be pinned is refused when swap-out, migration
     * or KSM would make it possibly shared ({@code folio_try_share_anon_rmap_pte()}'s
     * {@code folio_maybe_dma_pinned()} check, 6c287605fd56, 5.19).
     */
    public static final Feature<Boolean> ANON_SHARE_PIN_CHECK = Feature.builder("anon-share-pin-check",
                    Boolean.class, "whether a maybe-pinned exclusive anonymous page may be made shared (swap-out, "
                            + "migration, KSM)")
            .initially("no", false, "nothing refuses to unmap a pinned anonymous page", "before 6c287605fd56")
            .from("5.19", "yes", true, "folio_try_share_anon_rmap_pte() backs off if folio_maybe_dma_pinned()",
                    "6c287605fd56 \"mm: remember exclusively mapped anonymous pages with PG_anon_exclusive\"")
            .build();

    /**
     * Whether the share-time pin check and GUP-fast's pin are ordered by explicit barriers
     * (088b8aa537c2, 6.0): {@code __folio_try_share_anon_rmap()}'s {@code smp_mb()} between the
     * PTE clear and {@code folio_maybe_dma_pinned()} and its {@code smp_mb__after_atomic()} after
     * {@code ClearPageAnonExclusive()}; {@code try_grab_folio_fast()}'s
     * {@code smp_mb__after_atomic()} between the pin and the caller's PTE recheck;
     * {@code gup_must_unshare()}'s {@code smp_rmb()} before reading the flag. No interleaving of
     * sequentially consistent CPUs tells a kernel with them from one without: only an exploration
     * under a weaker model ({@code --memory-model arch}) does (docs/kernel/anon-exclusive.md).
     */
    public static final Feature<Boolean> ANON_EXCLUSIVE_BARRIERS = Feature.builder("anon-exclusive-barriers",
                    Boolean.class, "whether the PageAnonExclusive share-time pin check and GUP-fast's pin are "
                            + "ordered by explicit memory barriers")
            .initially("no", false, "nothing orders the unmapper's PTE clear before its pin check, nor GUP-fast's "
                    + "pin before its PTE recheck, but the architecture's own atomics and TLB flushes",
                    "before 088b8aa537c2")
            .from("6.0", "yes", true, "smp_mb() before folio_maybe_dma_pinned() and smp_mb__after_atomic() after "
                    + "ClearPageAnonExclusive() in __folio_try_share_anon_rmap(); smp_mb__after_atomic() after "
                    + "try_grab_folio_fast()'s pin; smp_rmb() in gup_must_unshare()",
                    "088b8aa537c2 \"mm: fix PageAnonExclusive clearing racing with concurrent RCU GUP-fast\"")
            .build();
}
