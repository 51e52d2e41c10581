package org.gupsim.arch.arm64;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * arm64 page-table geometry and user address-space layout per granule and VA size. Mirrors
 * arch/arm64/include/asm/pgtable-hwdef.h ({@code ARM64_HW_PGTABLE_LEVELS},
 * {@code ARM64_HW_PGTABLE_LEVEL_SHIFT}), arch/arm64/include/asm/processor.h ({@code TASK_SIZE_64},
 * {@code DEFAULT_MAP_WINDOW_64}) and arch/arm64/include/asm/hugetlb.h.
 *
 * <p>Each level resolves {@code PAGE_SHIFT - 3} bits (9, 11 or 13: a table is one page of
 * eight-byte descriptors); the top table resolves what is left, so it may be smaller than a
 * page (64K/48-bit: 64 entries; 16K/48-bit: 2). In the model's top-folding {@link Geometry} the
 * kernel's PGD is the highest real level, and the model's levels above it are folded with the
 * kernel's compile-time shift. When a level is folded at run time (no LPA2), the folded level
 * keeps the shift the kernel was built with ({@code PGDIR_SHIFT} 48 for 4K/52-bit, 47 for
 * 16K/52-bit), as the kernel's constants do; the walk never uses it.
 */
public final class Arm64Layout {
    /** The contiguous-bit group: 16 PTEs (4K), 128 (16K), 32 (64K); {@code CONT_PTES}. */
    private static final int[] CONT_PTES = {16, 128, 32};
    /** {@code CONT_PMDS}: 16 (4K), 32 (16K), 32 (64K). */
    private static final int[] CONT_PMDS = {16, 32, 32};
    private static final int[] FRAGMENTS_PER_PAGE = {1, 1, 1, 1, 1};

    private Arm64Layout() {
    }

    private static int granuleIndex(int pageShift) {
        Validate.isTrue(pageShift == 12 || pageShift == 14 || pageShift == 16,
                "pageShift must be 12, 14 or 16, was %d", pageShift);
        return (pageShift - 12) / 2;
    }

    /** Index bits a full table resolves: {@code PAGE_SHIFT - 3}. */
    public static int bitsPerLevel(int pageShift) {
        granuleIndex(pageShift);
        return pageShift - 3;
    }

    /** Mirrors {@code ARM64_HW_PGTABLE_LEVELS(va_bits)}: {@code ceil((va_bits - PAGE_SHIFT) / (PAGE_SHIFT - 3))}. */
    public static int levels(int pageShift, int vaBits) {
        int bpl = bitsPerLevel(pageShift);
        return (vaBits - pageShift + bpl - 1) / bpl;
    }

    /**
     * The geometry of a kernel built for {@code vaBits} running with {@code vaBitsActual}: the
     * levels the built configuration has, less those folded at run time.
     */
    public static Geometry geometry(int pageShift, int vaBits, int vaBitsActual) {
        int bpl = bitsPerLevel(pageShift);
        Validate.isTrue(vaBitsActual <= vaBits && vaBitsActual > pageShift + bpl,
                "vaBitsActual must be in (%d, %d], was %d", pageShift + bpl, vaBits, vaBitsActual);
        int built = levels(pageShift, vaBits);
        int actual = levels(pageShift, vaBitsActual);
        int[] shift = new int[5];
        int[] bits = new int[5];
        int builtTop = 5 - built;
        int top = 5 - actual;
        for (int l = 4; l >= 0; l--) {
            if (l >= builtTop) {
                shift[l] = pageShift + (4 - l) * bpl;
            } else {
                shift[l] = shift[l + 1];
            }
        }
        for (int l = top; l < 5; l++) {
            bits[l] = l == top ? vaBitsActual - shift[l] : bpl;
        }
        int leafLevels = 1 << Level.PMD.ordinal();
        if (pageShift == 12) {
            leafLevels |= 1 << Level.PUD.ordinal(); // pud_sect_supported(): 4K granule only
        }
        return new Geometry(pageShift, shift, bits, Level.of(top), leafLevels);
    }

    /** {@code TASK_SIZE_64}: {@code 1 << vabits_actual} (arm64 reserves no guard page at the top). */
    public static long taskSize(int vaBitsActual) {
        return 1L << vaBitsActual;
    }

    /**
     * The unrandomised top-down mmap base: 127/128 of {@code DEFAULT_MAP_WINDOW_64} (at most 48
     * bits: 52-bit addresses are only handed out on a hint above), leaving room below the stack.
     * For 47 bits this is x86's {@code 0x7f0000000000}.
     */
    public static long mmapBase(int vaBitsActual) {
        long window = 1L << Math.min(vaBitsActual, 48);
        return window - (window >>> 7);
    }

    /** {@code PMD_SIZE}: 2M, 32M or 512M. */
    public static long pmdSize(int pageShift) {
        return 1L << (pageShift + bitsPerLevel(pageShift));
    }

    /** {@code PUD_SIZE}: 1G with a 4K granule (the only one with PUD blocks). */
    public static long pudSize(int pageShift) {
        return 1L << (pageShift + 2 * bitsPerLevel(pageShift));
    }

    /** {@code CONT_PTE_SIZE}: 64K, 2M or 2M. */
    public static long contPteSize(int pageShift) {
        return (long) CONT_PTES[granuleIndex(pageShift)] << pageShift;
    }

    /** {@code CONT_PMD_SIZE}: 32M, 1G or 16G. */
    public static long contPmdSize(int pageShift) {
        return CONT_PMDS[granuleIndex(pageShift)] * pmdSize(pageShift);
    }

    /** {@code CONT_PTES}: PTEs in a contiguous group. */
    public static int contPtes(int pageShift) {
        return CONT_PTES[granuleIndex(pageShift)];
    }

    /** {@code CONT_PMDS}: PMDs in a contiguous group. */
    public static int contPmds(int pageShift) {
        return CONT_PMDS[granuleIndex(pageShift)];
    }

    /**
     * The hugetlb sizes, as arch/arm64/mm/hugetlbpage.c {@code hugetlbpage_init()} registers
     * them: the PMD block first (the default, {@code HPAGE_SIZE}), then the contiguous PTE group,
     * the contiguous PMD group and, with a 4K granule only ({@code pud_sect_supported()}), the PUD
     * block. 4K: 2M 64K 32M 1G; 16K: 32M 2M 1G; 64K: 512M 2M 16G.
     */
    public static long[] hugePageSizes(int pageShift) {
        long pmd = pmdSize(pageShift);
        long cpte = contPteSize(pageShift);
        long cpmd = contPmdSize(pageShift);
        return pageShift == 12 ? new long[] {pmd, cpte, cpmd, pudSize(12)} : new long[] {pmd, cpte, cpmd};
    }

    /** The base page and the {@link #hugePageSizes}, smallest first, as people write them. */
    public static List<String> pageSizeNames(int pageShift) {
        return switch (pageShift) {
            case 12 -> List.of("4K", "64K", "2M", "32M", "1G");
            case 14 -> List.of("16K", "2M", "32M", "1G");
            default -> List.of("64K", "2M", "512M", "16G");
        };
    }

    /** One table per page-table page at every level, a fresh array each call. */
    public static int[] fragmentsPerPage() {
        return FRAGMENTS_PER_PAGE.clone();
    }
}
