package org.gupsim.arch.s390;

import java.util.List;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * s390 page-table geometry and user address-space layout. Mirrors
 * arch/s390/include/asm/pgtable.h ({@code _REGION1_SHIFT} .. {@code _SEGMENT_SHIFT},
 * {@code _CRST_ENTRIES}, {@code _PAGE_ENTRIES}) and arch/s390/include/asm/processor.h.
 *
 * <p>The kernel's five levels are the hardware's region-first (PGD), region-second (P4D),
 * region-third (PUD), segment (PMD) and page (PTE) tables. Region and segment tables ("crst"
 * tables) have 2048 entries (16K); page tables have 256 entries (2K). The shifts are the 5-level
 * constants whatever the mm's depth: a new mm has a region-third table on top (3 levels, 4 TB),
 * and {@code crst_table_upgrade()} puts a region-second (8 PB) or region-first table above it
 * when a mapping needs it ({@link S390Pgalloc}).
 */
public final class S390Layout {
    /** {@code PAGE_SHIFT}. */
    public static final int PAGE_SHIFT = 12;
    /** {@code _SEGMENT_SIZE}: a 1M large page (segment-table leaf). */
    public static final long SEGMENT_SIZE = 1L << 20;
    /** {@code _REGION3_SIZE}: a 2G large page (region-third-table leaf). */
    public static final long REGION3_SIZE = 1L << 31;
    /** {@code _REGION2_SIZE}: the reach of a 3-level mm (4 TB). */
    public static final long REGION2_SIZE = 1L << 42;
    /** {@code _REGION1_SIZE}: the reach of a 4-level mm (8 PB). */
    public static final long REGION1_SIZE = 1L << 53;

    /**
     * {@code TASK_SIZE_MAX}: the kernel's {@code -PAGE_SIZE}, the 5-level limit. The model's
     * addresses are signed longs, so the limit is cut to the highest page-aligned positive
     * address; nothing can be mapped between 2^63 and 2^64 here.
     */
    public static final long TASK_SIZE_MAX = Long.MAX_VALUE & -(1L << PAGE_SHIFT);
    /**
     * Where top-down mmap starts: just below the 4 TB a new 3-level mm reaches
     * ({@code STACK_TOP} is {@code _REGION2_SIZE} for a 64-bit task), so ordinary mappings never
     * need an upgrade; only a hint or MAP_FIXED above 4 TB does.
     */
    public static final long MMAP_BASE = 0x3ff00000000L;

    private static final int LEAF_LEVELS = (1 << Level.PMD.ordinal()) | (1 << Level.PUD.ordinal());
    private static final int[] SHIFTS = {53, 42, 31, 20, 12};
    private static final int[] BITS = {11, 11, 11, 11, 8};

    /** A new mm: region-third table on top, 3 levels, 4 TB. */
    public static final Geometry THREE_LEVEL = new Geometry(PAGE_SHIFT, SHIFTS, BITS, Level.PUD, LEAF_LEVELS);

    private static final long[] HUGE_PAGE_SIZES = {SEGMENT_SIZE, REGION3_SIZE};
    private static final List<String> PAGE_SIZE_NAMES = List.of("4K", "1M", "2G");
    private static final int[] ONE_TABLE_PER_PAGE = {1, 1, 1, 1, 1};
    private static final int[] TWO_PAGE_TABLES_PER_PAGE = {1, 1, 1, 1, 2};

    private S390Layout() {
    }

    /** 1M and 2G, a fresh array each call. */
    public static long[] hugePageSizes() {
        return HUGE_PAGE_SIZES.clone();
    }

    /** {@code 4K}, {@code 1M}, {@code 2G}. */
    public static List<String> pageSizeNames() {
        return PAGE_SIZE_NAMES;
    }

    /**
     * Tables per page-table page, a fresh array each call. Crst tables always fill their own
     * pages; 2K page tables share a 4K page in pairs when {@code fragments} is set (kernels
     * before about 6.7, {@code page_table_alloc()} with its fragment bookkeeping).
     */
    public static int[] fragmentsPerPage(boolean fragments) {
        return (fragments ? TWO_PAGE_TABLES_PER_PAGE : ONE_TABLE_PER_PAGE).clone();
    }
}
