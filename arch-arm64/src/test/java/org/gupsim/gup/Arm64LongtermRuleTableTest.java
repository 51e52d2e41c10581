package org.gupsim.gup;

import java.util.List;
import org.gupsim.testkit.LongtermRuleSuite;
import org.gupsim.testkit.Placements;

/**
 * The long-term pinning rule of spec §4 ({@link org.gupsim.testkit.LongtermRule}) on every arm64
 * variant: anonymous, memfd, hugetlbfs, ext4 and secretmem, private and shared, read and write,
 * {@code pin_user_pages()} and {@code pin_user_pages_fast()}, on 6.4, 6.5 and the current kernel,
 * each with the variants it has (6.4 and 6.5 have neither the 4K and 16K 52-bit builds nor
 * +lpa2). Hugetlb comes in every size the variant has: the PMD block (2M, 32M or 512M), the
 * contiguous-PTE group (64K, 2M or 2M), the contiguous-PMD group (32M, 1G or 16G) and, with 4K
 * granules, the 1G PUD block; the giant ones on one variant per granule only
 * ({@link Arm64Mappings#GIANT_TABLE_VARIANTS}).
 */
class Arm64LongtermRuleTableTest extends LongtermRuleSuite {

    @Override
    protected List<Row> rows() {
        return variantRows("arm64", TABLE_BACKINGS, List.of(Placements.KERNEL), 16, Arm64Mappings::tabled);
    }
}
