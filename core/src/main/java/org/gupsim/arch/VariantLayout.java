package org.gupsim.arch;

import java.util.List;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.util.Args;

/**
 * The page-table and address-space facts of an architecture variant, fixed once the variant is
 * built: what {@link AbstractArchVariant} answers for the {@link org.gupsim.vm.VmArch} methods of
 * the same names. The arrays are copied in and handed out as fresh copies, so a caller cannot change
 * a variant through them; the record is a carrier, not compared.
 *
 * @param pageShift        log2 of the base page size ({@code PAGE_SHIFT})
 * @param mmGeometry       the geometry a new mm starts with (immutable, shared)
 * @param entryFormat      the page-table entry format (stateless, shared)
 * @param fragmentsPerPage per level (PGD..PTE), how many tables share one page-table page
 * @param taskSizeMax      {@code TASK_SIZE_MAX}: one past the highest user address
 * @param mmapBase         where top-down mmap starts looking
 * @param hugePageSizes    huge page sizes (bytes) hugetlbfs may use, the default first
 * @param pageSizeNames    page sizes as people write them ({@code 4K}, {@code 2M}, ...)
 */
public record VariantLayout(int pageShift, Geometry mmGeometry, EntryFormat entryFormat, int[] fragmentsPerPage,
                            long taskSizeMax, long mmapBase, long[] hugePageSizes, List<String> pageSizeNames) {

    /** @throws IllegalArgumentException naming a null argument */
    public VariantLayout {
        Args.notNull(mmGeometry, "mmGeometry");
        Args.notNull(entryFormat, "entryFormat");
        Args.notNull(fragmentsPerPage, "fragmentsPerPage");
        Args.notNull(hugePageSizes, "hugePageSizes");
        Args.notNull(pageSizeNames, "pageSizeNames");
        fragmentsPerPage = fragmentsPerPage.clone();
        hugePageSizes = hugePageSizes.clone();
        pageSizeNames = List.copyOf(pageSizeNames);
    }

    /** A fresh copy. */
    @Override
    public int[] fragmentsPerPage() {
        return fragmentsPerPage.clone();
    }

    /** A fresh copy. */
    @Override
    public long[] hugePageSizes() {
        return hugePageSizes.clone();
    }
}
