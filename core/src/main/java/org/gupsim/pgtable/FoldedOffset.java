package org.gupsim.pgtable;

/**
 * What a lockless walker's offset into an mm's top table comes to when the levels above that
 * table are folded: the pointer {@code pXd_offset_lockless(pXdp, pXd, addr)} (or, in GUP-fast
 * before d3f7b1bb2040, {@code pXd_offset(&pXd, addr)}) returns for the first real level, given
 * the pointer the walker holds for the folded level above it and the copy of that entry it made
 * on its stack.
 *
 * <p>The generic {@code pXd_offset_lockless()} (include/linux/pgtable.h) is still
 * {@code pXd_offset(&pXd, addr)}: it hands the folded level the address of the stack copy. That
 * is harmless where the folded level's offset returns what it is handed and the folded loops run
 * once; an architecture whose folded offset does anything else with the pointer must define its
 * own lockless offset that starts from the real one.
 */
public enum FoldedOffset {
    /**
     * Offset from the real table pointer: the walk reads the top table's entry for the address,
     * as if nothing were folded. s390's {@code pXd_offset_lockless()} (d3f7b1bb2040), arm64's
     * {@code p4d_offset_lockless()} of a 5-level build (6.9) and {@code p4d_offset_lockless_folded()}
     * of a 4-level one (36639013b346).
     */
    REAL_TABLE,
    /**
     * The folded level returns the pointer it is handed (asm-generic/pgtable-nop4d.h and friends,
     * s390's and x86's {@code p4d_offset()} of a level folded at run time). Handed the walker's
     * stack copy, the walk reads the copy, which holds the right entry, and each folded level's
     * loop steps with that level's compiled size: harmless where the size equals the top entry's
     * span (x86's run-time {@code PGDIR_SIZE}, compile-time folding), a step past the copy into
     * other stack words where it is larger (s390's 5-level constants over a 3-level mm).
     */
    PASSED_POINTER,
    /**
     * The folded level aligns the pointer it is handed down to its page and indexes that page
     * with the first real level's index of the address: arm64's {@code p4d_to_folded_pud()} and
     * {@code pgd_to_folded_p4d()} for a level folded at run time without LPA2. Right for a
     * pointer into the top table; handed the walker's stack copy, it reads a word of the stack
     * as the entry, at any address.
     */
    ALIGN_DOWN_AND_INDEX
}
