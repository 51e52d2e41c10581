package org.gupsim.pgtable;

import java.util.Arrays;
import org.apache.commons.lang3.Validate;

/**
 * The shape of one address space's page tables: for each level the address shift and index bits,
 * which level is the top (levels above it are folded into it), and at which levels a leaf (huge
 * mapping) may sit.
 *
 * <p>Shifts of folded levels are kept as the kernel's constants have them (s390 keeps a 5-level
 * {@code PGDIR_SHIFT} even for a 3-level mm); the walk never uses them, but a faithful reproduction
 * of the folding bug of commit d3f7b1bb2040 needs them.
 */
public final class Geometry {
    private final int pageShift;
    private final int[] shift;
    private final int[] bits;
    private final int[] tableBytes;
    private final Level top;
    private final int leafLevels;

    /**
     * @param pageShift  log2 of the base page size
     * @param shift      per level (PGD..PTE), log2 of the bytes one entry maps
     * @param bits       per level, index bits of a table at that level (0 for a folded level)
     * @param top        the level of the table {@code mm->pgd} points at
     * @param leafLevels bit mask of levels (1 &lt;&lt; ordinal) that may hold a leaf; PTE always can
     */
    public Geometry(int pageShift, int[] shift, int[] bits, Level top, int leafLevels) {
        Validate.isTrue(shift != null && shift.length == 5, "shift must have 5 entries");
        Validate.isTrue(bits != null && bits.length == 5, "bits must have 5 entries");
        Validate.isTrue(top != null && top != Level.PTE, "top must be a level above PTE");
        Validate.isTrue(shift[Level.PTE.ordinal()] == pageShift, "PTE shift must equal pageShift");
        for (int l = top.ordinal(); l < 5; l++) {
            Validate.isTrue(bits[l] > 0 && bits[l] <= 16, "bits of a real level must be in 1..16, level %s", Level.of(l));
            if (l < 4) {
                Validate.isTrue(shift[l] == shift[l + 1] + bits[l + 1],
                        "shift of %s must be the next level's shift plus its bits", Level.of(l));
            }
        }
        this.pageShift = pageShift;
        this.shift = shift.clone();
        this.bits = bits.clone();
        this.top = top;
        this.leafLevels = leafLevels | (1 << Level.PTE.ordinal());
        this.tableBytes = new int[5];
        for (int l = 0; l < 5; l++) {
            tableBytes[l] = bits[l] == 0 ? 0 : 8 << bits[l];
        }
    }

    public int pageShift() {
        return pageShift;
    }

    public long pageSize() {
        return 1L << pageShift;
    }

    public Level top() {
        return top;
    }

    /** Whether {@code level} has no table of its own in this geometry. */
    public boolean folded(Level level) {
        return level.ordinal() < top.ordinal();
    }

    public int shift(Level level) {
        return shift[level.ordinal()];
    }

    /** Bytes one entry at {@code level} maps ({@code PMD_SIZE} and so on). */
    public long size(Level level) {
        return 1L << shift[level.ordinal()];
    }

    public int bits(Level level) {
        return bits[level.ordinal()];
    }

    /** Entries in a table at {@code level} ({@code PTRS_PER_PMD} and so on). */
    public int entries(Level level) {
        return 1 << bits[level.ordinal()];
    }

    /** Bytes of a table at {@code level}. */
    public int tableBytes(Level level) {
        return tableBytes[level.ordinal()];
    }

    /** Mirrors {@code pXd_index(addr)}. */
    public int index(Level level, long addr) {
        int l = level.ordinal();
        return (int) ((addr >>> shift[l]) & ((1L << bits[l]) - 1));
    }

    /** Whether a leaf may sit at {@code level} (a PMD-sized or PUD-sized mapping). */
    public boolean leafAllowed(Level level) {
        return (leafLevels & (1 << level.ordinal())) != 0;
    }

    /** One past the highest address the tables can translate. */
    public long addressLimit() {
        int t = top.ordinal();
        int total = shift[t] + bits[t];
        return total >= 63 ? Long.MAX_VALUE : 1L << total;
    }

    /** The same geometry with a different top level (s390 {@code crst_table_upgrade}). */
    public Geometry withTop(Level newTop) {
        return new Geometry(pageShift, shift, bits, newTop, leafLevels);
    }

    /** Number of real (non-folded) levels. */
    public int levels() {
        return 5 - top.ordinal();
    }

    @Override
    public String toString() {
        return levels() + "-level " + Arrays.toString(shift) + " bits " + Arrays.toString(bits);
    }
}
