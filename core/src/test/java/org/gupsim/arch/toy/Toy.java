package org.gupsim.arch.toy;

import java.util.List;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantSpec;
import org.gupsim.kernel.Kernel;
import org.gupsim.mm.MemConfig;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.RcuTableFree;
import org.gupsim.tlb.TableFreePolicy;

/**
 * A toy architecture for core's own tests, so that they can boot a machine without an arch
 * module (the arch modules sit above core; a test dependency on one would be a Maven cycle).
 * It mirrors no real architecture and is not registered with {@code ServiceLoader}: tests boot
 * it with {@link #boot}.
 *
 * <p>Small on purpose: 4K pages in three levels of 512 entries (PUD on top, a 512 GiB address
 * space), 2M leaves at the PMD, one table per page-table page; {@link ToyEntryFormat}; TLBs shot
 * down by IPIs ({@link IpiFlush}) and page tables freed after an RCU grace period
 * ({@link RcuTableFree}), both from core's {@code tlb} package. GUP-fast is safe on it, as on
 * x86-64 with IPIs.
 */
public final class Toy implements Architecture {
    /** The one architecture instance. */
    public static final Toy ARCH = new Toy();
    /** The only variant's name. */
    public static final String VARIANT = "ipi-rcu";
    /** Bytes of a base page. */
    public static final long PAGE = 4096;
    /** Bytes of a PMD leaf. */
    public static final long HUGE = 2L << 20;

    private static final Geometry GEOMETRY = new Geometry(12, new int[] {30, 30, 30, 21, 12},
            new int[] {0, 0, 9, 9, 9}, Level.PUD, 1 << Level.PMD.ordinal());

    private Toy() {
    }

    /**
     * A toy machine of {@code megabytes} MiB of NORMAL memory with two CPUs, its own flush and
     * table-freeing state.
     */
    public static World boot(Kernel kernel, int megabytes) {
        return World.boot(variant(), kernel, MemConfig.ofBytes(12, (long) megabytes << 20), 2);
    }

    /** A fresh variant: its own flush backend and table-freeing policy, for {@code World.boot} with other arguments. */
    public static ArchVariant variant() {
        return new Variant();
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String description() {
        return "a toy architecture for core's tests: 4K pages, 3 levels, IPI shootdown, RCU table freeing";
    }

    @Override
    public List<String> variants() {
        return List.of(VARIANT);
    }

    @Override
    public List<String> options() {
        return List.of();
    }

    @Override
    public String optionDescription(String option) {
        throw new IllegalArgumentException("option must be one of [] (the toy has none), was " + option);
    }

    @Override
    public String defaultVariant(Kernel kernel) {
        return VARIANT;
    }

    @Override
    public ArchVariant variant(String spec, Kernel kernel) {
        VariantSpec.parse(spec == null ? VARIANT : spec, variants(), options());
        return variant();
    }

    /** The toy's one variant: a fresh flush backend and table-freeing policy per instance. */
    static final class Variant implements ArchVariant {
        private final FlushBackend flush = new IpiFlush();
        private final TableFreePolicy tables = new RcuTableFree(true);

        @Override
        public Architecture architecture() {
            return ARCH;
        }

        @Override
        public String name() {
            return VARIANT;
        }

        @Override
        public List<String> pageSizeNames() {
            return List.of("4K", "2M");
        }

        @Override
        public int pageShift() {
            return 12;
        }

        @Override
        public Geometry newMmGeometry() {
            return GEOMETRY;
        }

        @Override
        public EntryFormat entryFormat() {
            return ToyEntryFormat.INSTANCE;
        }

        @Override
        public int[] fragmentsPerPage() {
            return new int[] {1, 1, 1, 1, 1};
        }

        @Override
        public FlushBackend flushBackend() {
            return flush;
        }

        @Override
        public TableFreePolicy tableFreePolicy() {
            return tables;
        }

        @Override
        public long taskSizeMax() {
            return (1L << 39) - PAGE;
        }

        @Override
        public long mmapBase() {
            return 0x7000000000L;
        }

        @Override
        public long[] hugePageSizes() {
            return new long[] {HUGE};
        }

        @Override
        public String toString() {
            return fullName();
        }
    }
}
