package org.gupsim.gup;

import java.util.List;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.LongtermRuleSuite;
import org.gupsim.testkit.Placements;

/**
 * The long-term pinning rule of spec §4 ({@link org.gupsim.testkit.LongtermRule}) on every powerpc
 * variant: anonymous, memfd, hugetlbfs, ext4 and secretmem, private and shared, read and write,
 * {@code pin_user_pages()} and {@code pin_user_pages_fast()}, on 6.4, 6.5 and the current kernel.
 * Hugetlb comes in both sizes the variant has: the PMD leaf (2M on radix, 16M on hash) and the PUD
 * leaf (1G on radix, 16G on hash). The giant PUD pages (radix-4k's 1G, hash's 16G), each row of
 * which costs as much as a hundred others, have their rows on the current kernel only (hugetlb's
 * rows are the same on every kernel of the table) and not on the {@code +ipi} variants
 * ({@code +ipi} changes only how other CPUs' TLBs are flushed, which a pin on one CPU never asks
 * for); PpcHugeLeafTest pins them on every variant.
 */
class PpcLongtermRuleTableTest extends LongtermRuleSuite {

    @Override
    protected List<Row> rows() {
        return variantRows("ppc64", TABLE_BACKINGS, List.of(Placements.KERNEL), 8, PpcLongtermRuleTableTest::tabled);
    }

    /** Giant pages only on the current kernel and without {@code +ipi}. */
    static boolean tabled(GupSetup s) {
        return !s.mapping().giant(s.arch().pageShift())
                || s.kernel() == KernelVersion.LATEST && !s.variant().contains("+ipi");
    }
}
