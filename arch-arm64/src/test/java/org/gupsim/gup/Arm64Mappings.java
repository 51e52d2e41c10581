package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.arm64.Arm64Features;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Placements;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.Worlds;

/**
 * What arm64 adds to the testkit's setups ({@link GupSetup}): its hugetlb sizes by the entry that
 * maps them, the variants the giant pages are tabled on, and the kernels whose GUP-fast reads the
 * stack on 16k-52.
 */
final class Arm64Mappings {
    /**
     * One variant per granule, on which the tables run their giant-page rows ({@link Mapping#GIANT_PAGES}:
     * 1G with 4K and 16K granules, 16G with 64K): 4k-48, 16k-47, 64k-48. A row over a giant page
     * costs as much as a hundred others; Arm64WalkAgreementProperties reaches them on every variant.
     */
    static final List<String> GIANT_TABLE_VARIANTS = List.of("arm64:4k-48", "arm64:16k-47", "arm64:64k-48");

    private Arm64Mappings() {
    }

    /** Every arm64 variant spec the current kernel has: each base, and +lpa2 where it applies. */
    static List<String> variants() {
        return GupArbitraries.variantSpecs("arm64", KernelVersion.LATEST);
    }

    /**
     * Whether GUP-fast on {@code spec} under {@code k} reads a stack word instead of the top
     * table's entry (36639013b346, spec §6c): a 16K 52-bit build without LPA2 folds its PUD at run
     * time from 6.9, and the fix came in 6.11; of the model's kernels, 6.10. Read from the
     * kernel's features, not its release: the build exists ({@link Arm64Features#VA52_SMALL_GRANULES})
     * and GUP-fast still offsets the folded level from the stack copy
     * ({@link Arm64Features#P4D_OFFSET_LOCKLESS_FOLDED} not yet). Properties about other things
     * leave these out; Arm64LocklessFoldingTest shows the bug.
     */
    static boolean strayStackRead(String spec, KernelVersion k) {
        return spec.equals("arm64:16k-52") && k.get(Arm64Features.VA52_SMALL_GRANULES)
                && !k.get(Arm64Features.P4D_OFFSET_LOCKLESS_FOLDED);
    }

    /** Whether a table runs the row of {@code s}: every row but those of giant pages outside {@link #GIANT_TABLE_VARIANTS}. */
    static boolean tabled(GupSetup s) {
        return GIANT_TABLE_VARIANTS.contains(s.variant()) || !s.mapping().giant(s.arch().pageShift());
    }

    /** The hugetlb page sizes of an arm64 variant, by the entry that maps them (the order of Arm64Layout#hugePageSizes). */
    enum Hugetlb {
        /** The default huge page: one PMD block (2M, 32M, 512M). */
        PMD(0),
        /** A contiguous-PTE group (64K, 2M, 2M): PTEs with PTE_CONT. */
        CONT_PTE(1),
        /** A contiguous-PMD group (32M, 1G, 16G): PMD blocks with PTE_CONT. */
        CONT_PMD(2),
        /** A 1G PUD block: the 4K granule only. */
        PUD(3);

        private final int index;

        Hugetlb(int index) {
            this.index = index;
        }

        /** Whether {@code arch} has this size. */
        boolean existsOn(ArchVariant arch) {
            return index < arch.hugePageSizes().length;
        }

        /** The size in bytes on {@code arch}. */
        long size(ArchVariant arch) {
            return arch.hugePageSizes()[index];
        }

        /** The setup of one such page of a hugetlbfs file on {@code spec}, current kernel, where mmap puts it. */
        GupSetup setup(String spec, boolean shared, Touch touch) {
            ArchVariant v = Worlds.variant(spec, KernelVersion.LATEST);
            return new GupSetup(spec, KernelVersion.LATEST, Mapping.huge(Backing.HUGETLB, shared, size(v), touch, Prot.RW),
                    Placements.KERNEL);
        }

        /** {@link #setup} built: a machine of three such pages with one mapped (the test fails if mmap refuses it). */
        Mapped map(String spec, boolean shared, Touch touch) {
            Mapped m = setup(spec, shared, touch).build();
            assertNotNull(m, spec + ": mmap of one " + this + " page");
            return m;
        }
    }

    /**
     * GUP-fast ({@code get_user_pages_fast_only()}) and the slow path ({@code get_user_pages()}),
     * each with FOLL_WRITE over all of {@code m}, return the same pages: every subpage, in order.
     * Both references are dropped again.
     *
     * @return the frame of the first page
     */
    static long bothPathsReachEverySubpage(Mapped m) {
        int n = m.nrPages();
        GupCall get = new GupCall(GupCall.Kind.GET, EnumSet.of(Foll.WRITE));
        Page[] fast = new Page[n];
        GupResult r = get.runFast(m, fast);
        assertEquals(n, r.pages(), r.toString());
        Page[] slow = new Page[n];
        r = get.runSlow(m, slow);
        assertEquals(n, r.pages(), r.toString());
        for (int i = 0; i < n; i++) {
            // No message string per page of a 16G page unless one is wrong.
            if (fast[i].pfn() != fast[0].pfn() + i || slow[i] != fast[i]) {
                assertEquals(fast[0].pfn() + i, fast[i].pfn(), "GUP-fast subpage " + i);
                assertEquals(fast[i], slow[i], "the slow path's subpage " + i);
            }
        }
        get.release(m.world(), fast, n);
        get.release(m.world(), slow, n);
        return fast[0].pfn();
    }
}
