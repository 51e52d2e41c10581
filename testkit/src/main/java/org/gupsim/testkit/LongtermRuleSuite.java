package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.lang3.Validate;
import org.gupsim.callers.IoUringBuffers;
import org.gupsim.callers.PinOutcome;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.testkit.LongtermPin.Outcome;
import org.gupsim.testkit.LongtermRule.Api;
import org.gupsim.vm.VmArch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The long-term pinning rule ({@link LongtermRule}) as a table over one architecture: each row a
 * mapping set up as {@code gup_longterm.c} sets it up (mapped {@code PROT_READ|PROT_WRITE},
 * every page written, {@code mprotect(PROT_READ)} for a read pin) on a variant and kernel, pinned
 * long-term through an API. The expected outcome comes from the oracle, the actual one from
 * running the model; a pinned case must leave every page {@code folio_maybe_dma_pinned()}, the
 * accounting balanced and the world clean after the unpin. An architecture module's test
 * subclasses this and chooses its rows with {@link #rows(Function, List, Set, List, List, int, Predicate)}.
 */
public abstract class LongtermRuleSuite {

    /**
     * One row: a setup (its mapping written, and read-only for a read pin) and how it is pinned.
     *
     * @param setup    variant, kernel, mapping and placement
     * @param writable a long-term write pin of the writable mapping, else a read pin of it made read-only
     * @param api      how the pin is asked for
     */
    public record Row(GupSetup setup, boolean writable, Api api) {
        public Row {
            Validate.isTrue(setup != null && api != null, "setup and api must not be null");
        }

        /** What the kernel's rule says the row comes to. */
        public Outcome expected() {
            Mapping m = setup.mapping();
            return LongtermRule.expected(setup.kernel(), m.backing(), m.shared(), writable, api);
        }

        @Override
        public String toString() {
            Mapping m = setup.mapping();
            String size = m.hugePageSize() == 0 ? "" : "(" + (m.hugePageSize() >>> 20) + "M)";
            return setup.variant() + " " + setup.kernel().label() + " " + m.backing().label() + size + " "
                    + (m.shared() ? "shared" : "private") + " " + (writable ? "rw" : "ro") + " " + api.label()
                    + (setup.placement() == Placements.KERNEL ? "" : " at " + setup.placement()) + " -> " + expected();
        }
    }

    /** The rows of this architecture's table. */
    protected abstract List<Row> rows();

    @TestFactory
    Stream<DynamicTest> longtermPinFollowsTheRule() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> check(r)));
    }

    /** The kernels the architectures' tables run on: 6.4, 6.5 and the current kernel. */
    public static final List<KernelVersion> TABLE_KERNELS =
            List.of(KernelVersion.V6_4, KernelVersion.V6_5, KernelVersion.LATEST);

    /** {@code pin_user_pages()} and {@code pin_user_pages_fast()}. */
    public static final List<Api> PIN_APIS = List.of(Api.PUP, Api.PUP_FAST);

    /**
     * The backings an architecture's table pins when it has no others of its own: one of each kind
     * the rule tells apart, anonymous memory, shmem (memfd), hugetlbfs, a dirty-tracked file (ext4)
     * and secretmem; in declaration order.
     */
    public static final Set<Backing> TABLE_BACKINGS = Collections.unmodifiableSet(
            EnumSet.of(Backing.ANON, Backing.MEMFD, Backing.HUGETLB, Backing.EXT4, Backing.SECRETMEM));

    /**
     * {@link #rows(Function, List, Set, List, List, int, Predicate) rows} of every variant of
     * {@code arch} each kernel of {@link #TABLE_KERNELS} has ({@link GupArbitraries#variantSpecs}),
     * pinned through {@link #PIN_APIS}: an architecture module's table.
     */
    public static List<Row> variantRows(String arch, Set<Backing> backings, List<? extends Placement> placements,
                                        int smallPages, Predicate<GupSetup> include) {
        return rows(k -> GupArbitraries.variantSpecs(arch, k), TABLE_KERNELS, backings, PIN_APIS, placements,
                smallPages, include);
    }

    /**
     * The rows of a table: for each kernel, each variant {@code variants} gives for it, each
     * placement, each shape of mapping the variant has ({@link Mapping#shapes}, THP aside) whose
     * backing is in {@code backings}, written and left writable or read-only, pinned through each
     * API; then only the setups {@code include} keeps (giant pages are costly: keep a few).
     *
     * @param variants   the variant specs to run on a kernel, e.g. every one it has
     * @param smallPages base pages of a base-page mapping
     */
    public static List<Row> rows(Function<KernelVersion, List<String>> variants, List<KernelVersion> kernels,
                                 Set<Backing> backings, List<Api> apis, List<? extends Placement> placements,
                                 int smallPages, Predicate<GupSetup> include) {
        List<Row> out = new ArrayList<>();
        for (KernelVersion k : kernels) {
            for (String spec : variants.apply(k)) {
                VmArch v = Worlds.variant(spec, k);
                for (Placement p : placements) {
                    for (Mapping shape : Mapping.shapes(v, smallPages, Long.MAX_VALUE)) {
                        if (shape.thp() || !backings.contains(shape.backing())) {
                            continue;
                        }
                        for (boolean writable : new boolean[] {true, false}) {
                            GupSetup s = new GupSetup(spec, k, shape.with(Touch.WRITE, writable ? Prot.RW : Prot.RO), p);
                            if (include.test(s)) {
                                for (Api api : apis) {
                                    out.add(new Row(s, writable, api));
                                }
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Runs the row on a fresh machine and checks it comes to what the rule says. */
    public static void check(Row r) {
        Mapping.Attempt a = r.setup().attempt();
        if (a.mapped() == null) {
            assertEquals(r.expected(), a.refused() == Errno.EINVAL ? Outcome.MMAP_EINVAL : null,
                    r + ": got mmap " + a.refused());
            return;
        }
        if (r.api() != Api.IO_URING) {
            LongtermPin.Result result = LongtermPin.pin(a.mapped(), r.writable(), r.api() == Api.PUP_FAST);
            assertEquals(r.expected(), result.outcome(), r + ": got " + result.detail());
            return;
        }
        Mapped mapped = a.mapped();
        World w = mapped.world();
        int nrPages = mapped.nrPages();
        IoUringBuffers ring = w.ioUring(mapped.task());
        PinOutcome o = ring.register(new long[] {mapped.addr()}, new long[] {mapped.len()});
        long ret = o.ok() ? nrPages : o.ret();
        Outcome actual = ret == nrPages ? Outcome.PINNED
                : ret == Errno.EFAULT.negative() ? Outcome.EFAULT
                : ret == Errno.EOPNOTSUPP.negative() ? Outcome.EOPNOTSUPP
                : null;
        if (actual == Outcome.PINNED) {
            Page[] pages = ring.buffers().get(0).pages();
            for (int i = 0; i < nrPages; i++) {
                assertTrue(pages[i] != null && pages[i].folio().maybeDmaPinned(), "page " + i + " pinned");
            }
        }
        assertEquals(r.expected(), actual, r + ": got " + o);
        Worlds.assertNoViolations(w.checkAccounting(), "accounting");
        ring.unregister();
        mapped.assertTearsDownClean("teardown");
    }
}
