package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;

/**
 * What every architecture's swap PTEs must do ({@link EntryFormat#mkSwpPte} and friends), checked
 * the same way for each: a swap PTE is neither none nor present, the MMU may not use it, its type
 * and offset read back, and the exclusive marker sets and clears without touching either.
 *
 * <pre>{@code
 * @Property
 * void swapPtes(@ForAll @IntRange(max = 31) int type, @ForAll("offsets") long offset, @ForAll boolean exclusive) {
 *     SwapPtes.assertRoundTrip(MyEntryFormat.INSTANCE, type, offset, exclusive);
 * }
 * }</pre>
 */
public final class SwapPtes {

    private SwapPtes() {
    }

    /**
     * Swap offsets every modelled format can hold (the smallest is powerpc's with 64K pages: frame
     * numbers below 2^37), edge values included. Never 0: slot 0 of a swap device holds its header
     * and is never handed out, and pfn 0 is never migrated, so the kernel never builds swap entry
     * (0, 0), which some formats (arm64's) would write as an empty PTE.
     */
    public static Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(1, (1L << 36) - 1).edgeCases(c -> c.includeOnly(1L, 2L, (1L << 36) - 1));
    }

    /** Checks one swap PTE of {@code format}; see the class comment. */
    public static void assertRoundTrip(EntryFormat format, int type, long offset, boolean exclusive) {
        Validate.isTrue(format != null, "format must not be null");
        long pte = format.mkSwpPte(type, offset);
        if (exclusive) {
            pte = format.swpMkExclusive(pte);
        }
        String what = format.describe(Level.PTE, pte) + " (0x" + Long.toHexString(pte) + ")";
        assertFalse(format.none(Level.PTE, pte), "a swap PTE is not none: " + what);
        assertFalse(format.present(Level.PTE, pte), "a swap PTE is not present: " + what);
        assertTrue(format.isSwapPte(pte), what);
        assertFalse(format.accessPermitted(Level.PTE, pte, false), "the MMU may not use a swap PTE: " + what);
        assertFalse(format.leafProtnone(Level.PTE, pte), "a swap PTE is not PROT_NONE: " + what);
        assertEquals(type, format.swpType(pte), what);
        assertEquals(offset, format.swpOffset(pte), what);
        assertEquals(exclusive, format.swpExclusive(pte), what);
        long cleared = format.swpClearExclusive(pte);
        assertFalse(format.swpExclusive(cleared), what);
        assertEquals(format.mkSwpPte(type, offset), cleared, "clearing the marker gives back the plain swap PTE");
    }
}
