package org.gupsim.gup;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.LongtermRuleSuite;
import org.gupsim.testkit.Placements;

/**
 * The long-term pinning rule of spec §4 ({@link org.gupsim.testkit.LongtermRule}) on s390:
 * anonymous, memfd, 1M hugetlb (memfd and hugetlbfs) and ext4, private and shared, read and write,
 * {@code pin_user_pages()} and {@code pin_user_pages_fast()}, on 6.4, 6.5 and the current kernel,
 * every variant, in a new mm and one upgraded to 4 levels. The giant 2G hugetlbfs page (524,288
 * pages, each row the cost of a hundred others) has its rows on the current kernel, in a new mm of
 * the default variant, only: hugetlb's rows are the same on every kernel of the table, a
 * region-third leaf needs no page table to pack as {@code fragments} does, and
 * WalkAgreementProperties maps it on every variant at 3, 4 and 5 levels.
 */
class S390LongtermRuleTableTest extends LongtermRuleSuite {

    @Override
    protected List<Row> rows() {
        return variantRows("s390",
                EnumSet.of(Backing.ANON, Backing.MEMFD, Backing.MEMFD_HUGETLB, Backing.HUGETLB, Backing.EXT4),
                List.of(Placements.KERNEL, S390Placements.REGION2), 8, S390LongtermRuleTableTest::tabled);
    }

    /** The giant 2G page of hugetlbfs only, on the current kernel in a new mm of the default variant. */
    static boolean tabled(GupSetup s) {
        if (!s.mapping().giant(s.arch().pageShift())) {
            return true;
        }
        return s.mapping().backing() == Backing.HUGETLB && s.variant().equals("s390:default")
                && s.kernel() == KernelVersion.LATEST && s.placement() == Placements.KERNEL;
    }
}
