package org.gupsim.arch.powerpc;

import java.util.List;
import org.gupsim.arch.Labelled;
import org.gupsim.arch.VariantLayout;
import org.gupsim.pgtable.Geometry;

/**
 * The base variants of powerpc book3s64: which MMU and which page size. The declaration order is
 * the listing order; the first is the default.
 */
public enum PpcBaseVariant implements Labelled {
    /**
     * Radix MMU with 64K pages (POWER9 and later, the distributions' choice): index bits
     * PGD/PUD/PMD/PTE 13/9/9/5, so a PTE table is a 256-byte fragment (256 to a page) spanning 2M,
     * PMD tables are 4K fragments (16 to a page); 2M and 1G leaves; 52-bit (4 PB) addresses.
     */
    RADIX_64K("radix-64k", "radix MMU, 64K pages, 256-byte PTE and 4K PMD fragments; 2M/1G leaves",
            true, 16, 5, 9, 9, 13, new int[] {1, 1, 1, 16, 256}, new long[] {1L << 21, 1L << 30},
            List.of("64K", "2M", "1G")),
    /** Radix MMU with 4K pages: 13/9/9/9, one table a page below the PGD; 2M and 1G leaves. */
    RADIX_4K("radix-4k", "radix MMU, 4K pages; 2M/1G leaves",
            true, 12, 9, 9, 9, 13, new int[] {1, 1, 1, 1, 1}, new long[] {1L << 21, 1L << 30},
            List.of("4K", "2M", "1G")),
    /**
     * Hash MMU with 64K pages (POWER8 and earlier, or radix off): 8/10/10/8. A PTE fragment is 4K,
     * 2K of PTEs followed by 2K of hash-slot details (16 to a page); a PMD fragment is 16K, 8K of
     * entries followed by the deposited-table pointers (4 to a page). Leaves: 16M at the PMD and,
     * since hugepd was removed (about 6.11), 16G at the PUD. The MMU searches the hashed page
     * table, never these tables.
     */
    HASH_64K("hash-64k", "hash MMU, 64K pages, 4K PTE and 16K PMD fragments; 16M/16G leaves; HW never walks Linux tables",
            false, 16, 8, 10, 10, 8, new int[] {1, 1, 1, 4, 16}, new long[] {1L << 24, 1L << 34},
            List.of("64K", "16M", "16G"));

    private final String label;
    private final String description;
    private final boolean radix;
    private final PpcEntryFormat entryFormat;
    private final VariantLayout layout;

    PpcBaseVariant(String label, String description, boolean radix, int pageShift, int pte, int pmd, int pud,
                   int pgd, int[] fragmentsPerPage, long[] hugePageSizes, List<String> pageSizeNames) {
        this.label = label;
        this.description = description;
        this.radix = radix;
        Geometry geometry = PpcLayout.geometry(pageShift, pte, pmd, pud, pgd);
        this.entryFormat = new PpcEntryFormat(radix, geometry);
        // TASK_SIZE_USER64: 4 PB with 64K pages, 64 TB with 4K pages. mmap starts below
        // DEFAULT_MAP_WINDOW_USER64 (128 TB with 64K pages, 64 TB with 4K pages). fragmentsPerPage:
        // PTE_FRAG_NR, PMD_FRAG_NR and one for the slab-allocated PUD and PGD; hugePageSizes: the
        // leaf sizes at the PMD and PUD.
        this.layout = new VariantLayout(pageShift, geometry, entryFormat, fragmentsPerPage,
                pageShift == 16 ? PpcLayout.TASK_SIZE_4PB : PpcLayout.TASK_SIZE_64TB,
                pageShift == 16 ? PpcLayout.MMAP_BASE_64K : PpcLayout.MMAP_BASE_4K, hugePageSizes, pageSizeNames);
    }

    /** The name users type, e.g. {@code radix-64k}. */
    @Override
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether the radix MMU is in use ({@code radix_enabled()}); false for hash. */
    public boolean radix() {
        return radix;
    }

    /** The entry format of this MMU and page size (stateless, shared). */
    public PpcEntryFormat entryFormat() {
        return entryFormat;
    }

    /** Page size, geometry (immutable, shared), entry format and address space of this MMU and page size. */
    public VariantLayout layout() {
        return layout;
    }
}
