package org.gupsim.arch.x86;

import java.util.List;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * x86-64 page-table geometry and user address-space layout, for 4-level paging and for 5-level
 * paging on CPUs with LA57. Mirrors arch/x86/include/asm/pgtable_64_types.h and
 * arch/x86/include/asm/page_64_types.h.
 *
 * <p>Every level has 512 eight-byte entries in a 4K page. With 4-level paging the kernel folds
 * the P4D into the PGD at run time; in the model's top-folding {@link Geometry} that means the
 * top real level is the P4D (shift 39, 512 entries) and the PGD has no table of its own.
 */
public final class X86Layout {
    /** {@code PAGE_SHIFT}. */
    public static final int PAGE_SHIFT = 12;
    /** {@code PMD_SIZE}: a 2M leaf. */
    public static final long PMD_SIZE = 1L << 21;
    /** {@code PUD_SIZE}: a 1G leaf. */
    public static final long PUD_SIZE = 1L << 30;

    /** {@code TASK_SIZE_MAX} with 4-level paging: 47 bits less the guard page. */
    public static final long TASK_SIZE_MAX_4LEVEL = (1L << 47) - 4096;
    /** {@code TASK_SIZE_MAX} with 5-level paging: 56 bits less the guard page. */
    public static final long TASK_SIZE_MAX_5LEVEL = (1L << 56) - 4096;
    /**
     * The unrandomised top-down mmap base: below the 47-bit task size with room for the stack.
     * The same with LA57, because {@code arch_get_unmapped_area_topdown()} keeps mappings below
     * 47 bits unless the caller hints an address above (spec §8).
     */
    public static final long MMAP_BASE = 0x7f0000000000L;

    private static final int LEAF_LEVELS = (1 << Level.PMD.ordinal()) | (1 << Level.PUD.ordinal());

    /** 4-level paging: PGD folded, P4D on top. */
    public static final Geometry FOUR_LEVEL = new Geometry(PAGE_SHIFT,
            new int[] {39, 39, 30, 21, 12}, new int[] {0, 9, 9, 9, 9}, Level.P4D, LEAF_LEVELS);
    /** 5-level paging (LA57): PGD shift 48. */
    public static final Geometry FIVE_LEVEL = new Geometry(PAGE_SHIFT,
            new int[] {48, 39, 30, 21, 12}, new int[] {9, 9, 9, 9, 9}, Level.PGD, LEAF_LEVELS);

    private static final long[] HUGE_PAGE_SIZES = {PMD_SIZE, PUD_SIZE};
    private static final List<String> PAGE_SIZE_NAMES = List.of("4K", "2M", "1G");
    private static final int[] FRAGMENTS_PER_PAGE = {1, 1, 1, 1, 1};

    private X86Layout() {
    }

    /** The geometry for a CPU with or without LA57. */
    public static Geometry geometry(boolean la57) {
        return la57 ? FIVE_LEVEL : FOUR_LEVEL;
    }

    /** {@code TASK_SIZE_MAX} for a CPU with or without LA57. */
    public static long taskSizeMax(boolean la57) {
        return la57 ? TASK_SIZE_MAX_5LEVEL : TASK_SIZE_MAX_4LEVEL;
    }

    /** 2M and 1G, a fresh array each call. */
    public static long[] hugePageSizes() {
        return HUGE_PAGE_SIZES.clone();
    }

    /** {@code 4K}, {@code 2M}, {@code 1G}. */
    public static List<String> pageSizeNames() {
        return PAGE_SIZE_NAMES;
    }

    /** One table per page-table page at every level, a fresh array each call. */
    public static int[] fragmentsPerPage() {
        return FRAGMENTS_PER_PAGE.clone();
    }
}
