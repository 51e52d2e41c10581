package org.gupsim.scenario;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.Foll;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;

/**
 * CPU0 pins a resident range with {@code pin_user_pages_fast()} while CPU1 maps and writes a page just
 * above what the address space can currently translate, so that the architecture adds a level on top
 * of the page tables ({@code crst_table_upgrade()} on s390: a new top table whose entry 0 points
 * at the old top, then {@code mm->pgd} switches to it and every CPU reloads its address-space
 * control). CPU0's walk may start from the old top or the new one; either way it must read
 * only live tables and find the pages that are mapped, which the current lockless offsets
 * ({@code pXd_offset_lockless()}, d3f7b1bb2040) guarantee.
 *
 * <p>Only architectures whose new address space starts below the top level and can grow at run
 * time can run it; on others setting up refuses with {@link IllegalArgumentException}.
 */
final class GupFastVsUpgrade extends GupFastRace {
    /** The scenario's name. */
    static final String NAME = "s390-gup-fast-vs-upgrade";

    GupFastVsUpgrade() {
        super(NAME,
                "CPU0 pin_user_pages_fast(FOLL_WRITE) over a resident range; CPU1 mmap()s and writes a page above "
                        + "the address-space limit, which adds a page-table level on top (crst_table_upgrade)",
                List.of("anon", "memfd"), false, EnumSet.of(Foll.WRITE));
    }

    /**
     * Generic: the variant's new mm must start below the top level and reach less than
     * {@code TASK_SIZE}, so that a mapping above its reach exists and needs an upgrade.
     */
    @Override
    public void checkArch(ArchVariant arch) {
        Geometry g = arch.newMmGeometry();
        long limit = g.addressLimit();
        if (g.top() == Level.PGD || Long.compareUnsigned(limit, arch.taskSizeMax()) >= 0) {
            throw new IllegalArgumentException("scenario " + NAME + " needs an architecture whose new address space "
                    + "can grow a page-table level at run time; " + arch.fullName() + " starts with "
                    + g.levels() + " levels reaching 0x" + Long.toHexString(limit) + " and TASK_SIZE is 0x"
                    + Long.toHexString(arch.taskSizeMax()));
        }
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("range", "across", List.of("across", "inside"),
                "across: the pinned range straddles a boundary between two top-level entries of the new mm "
                        + "(where a walk through a folded level's stack copy goes wrong); inside: within one"));
    }

    @Override
    int pages(Map<String, String> params) {
        int n = super.pages(params);
        return params.get("range").equals("across") ? Math.max(2, n) : n;
    }

    /**
     * With {@code range=across}: one page below the highest top-level entry boundary under
     * {@code mmap_base}, so the range covers the end of one top entry and the start of the next.
     */
    @Override
    long placement(World world, Map<String, String> params) {
        checkArch(world.arch());
        if (!params.get("range").equals("across")) {
            return 0;
        }
        Geometry g = world.arch().newMmGeometry();
        long boundary = (world.arch().mmapBase() - 1) & -g.size(g.top());
        return boundary - (1L << world.mem().pageShift());
    }

    @Override
    void prepare(World world, MappedBacking m, Map<String, String> params) {
        checkArch(world.arch());
    }

    @Override
    void race(World world, MappedBacking m) {
        long pageSize = 1L << world.mem().pageShift();
        long above = m.task.mm().pageTables().geometry().addressLimit();
        long addr = m.task.mmap(above, pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        if (addr != above) {
            throw new IllegalStateException("scenario " + NAME + ": mmap above the limit returned " + addr);
        }
        long r = m.task.touch(addr, pageSize, true);
        if (r != 0) {
            throw new IllegalStateException("scenario " + NAME + ": touching the new mapping failed: " + r);
        }
    }
}
