package org.gupsim.vm;

import org.apache.commons.lang3.Validate;
import org.gupsim.pgtable.Level;
import org.gupsim.util.Args;

/**
 * How one hugetlb page is laid out in the page tables: {@code entries} consecutive leaves at
 * {@code level}, the first at the page's naturally aligned address, each mapping its own part of
 * the folio. One leaf almost everywhere; arm64's contiguous-bit sizes use a group (16 PTEs for a
 * 64K page with 4K granules, 32 PMDs for 1G with 16K granules and so on). Mirrors what arm64's
 * {@code num_contig_ptes()} returns: the count, and through the level the size of each entry.
 *
 * @param level   the level of the leaves
 * @param entries how many consecutive leaves map one huge page, at least 1
 */
public record HugetlbLeaves(Level level, int entries) {
    public HugetlbLeaves {
        Args.notNull(level, "level");
        Validate.isTrue(entries >= 1, "entries must be at least 1, was %d", entries);
    }
}
