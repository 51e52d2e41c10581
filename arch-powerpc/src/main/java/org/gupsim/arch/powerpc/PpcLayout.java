package org.gupsim.arch.powerpc;

import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * book3s64 page-table geometry and user address-space layout. Mirrors
 * arch/powerpc/include/asm/book3s/64/radix-64k.h, radix-4k.h, hash-64k.h (the index sizes),
 * pgtable.h ({@code PMD_SHIFT = PAGE_SHIFT + PTE_INDEX_SIZE} and so on) and task_size_64.h.
 *
 * <p>The kernel has four levels, PGD, PUD, PMD and PTE, with the P4D folded
 * (asm-generic/pgtable-nop4d.h). In the model's top-folding {@link Geometry} the top table sits
 * at the P4D slot with {@code PGDIR_SHIFT} and {@code PGD_INDEX_SIZE}, and the PGD slot is the
 * folded one, exactly as x86-64 4-level paging is laid out.
 */
public final class PpcLayout {
    /** {@code TASK_SIZE_64TB}: {@code TASK_SIZE_USER64} and the map window with 4K pages. */
    public static final long TASK_SIZE_64TB = 1L << 46;
    /** {@code TASK_SIZE_128TB}: {@code DEFAULT_MAP_WINDOW_USER64} with 64K pages. */
    public static final long TASK_SIZE_128TB = 1L << 47;
    /** {@code TASK_SIZE_4PB}: {@code TASK_SIZE_USER64} with 64K pages (52-bit addresses). */
    public static final long TASK_SIZE_4PB = 1L << 52;
    /**
     * The unrandomised top-down mmap base with 64K pages: below the 128TB default map window
     * (mmap goes above it only when hinted), with room for the stack.
     */
    public static final long MMAP_BASE_64K = 0x7f0000000000L;
    /** The same below the 64TB window of 4K pages. */
    public static final long MMAP_BASE_4K = 0x3f0000000000L;

    private static final int LEAF_LEVELS = (1 << Level.PMD.ordinal()) | (1 << Level.PUD.ordinal());

    private PpcLayout() {
    }

    /**
     * The geometry for the index sizes of one MMU and page size.
     *
     * @param pageShift {@code PAGE_SHIFT}
     * @param pte       {@code PTE_INDEX_SIZE}
     * @param pmd       {@code PMD_INDEX_SIZE}
     * @param pud       {@code PUD_INDEX_SIZE}
     * @param pgd       {@code PGD_INDEX_SIZE}
     */
    public static Geometry geometry(int pageShift, int pte, int pmd, int pud, int pgd) {
        int pmdShift = pageShift + pte;
        int pudShift = pmdShift + pmd;
        int pgdirShift = pudShift + pud;
        return new Geometry(pageShift, new int[] {pgdirShift, pgdirShift, pudShift, pmdShift, pageShift},
                new int[] {0, pgd, pud, pmd, pte}, Level.P4D, LEAF_LEVELS);
    }
}
