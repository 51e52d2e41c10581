package org.gupsim.gup;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.LongtermRule.Api;
import org.gupsim.testkit.LongtermRuleSuite;
import org.gupsim.testkit.Placements;

/**
 * The long-term pinning rule of spec §4 ({@link org.gupsim.testkit.LongtermRule}) on x86-64, as a
 * table over every kernel version (the v6 and v7 postings included), every backing, private and
 * shared, read and write, and every API: {@code pin_user_pages()}, {@code pin_user_pages_fast()}
 * and io_uring's fixed buffers. Each kernel runs on its default variant; hugetlb in the 2M size
 * (the 1G page is giant: arm64's and powerpc's tables pin theirs).
 */
class LongtermRuleTableTest extends LongtermRuleSuite {

    @Override
    protected List<Row> rows() {
        return rows(k -> List.of("x86_64"), List.of(KernelVersion.values()), EnumSet.allOf(Backing.class),
                List.of(Api.values()), List.of(Placements.KERNEL), 16,
                s -> !s.mapping().giant(s.arch().pageShift()));
    }
}
