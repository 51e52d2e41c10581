package org.gupsim.compare;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TableFreePromise;
import org.gupsim.tlb.TlbFeatures;

/**
 * The mechanisms of one architecture variant, as a cell runs it, that a comparison can tell apart.
 *
 * @param shootdown    what the flush backend promises ({@link ArchVariant#shootdown()})
 * @param tableFreeing what the table-freeing policy promises ({@link ArchVariant#tableFreeing()})
 * @param pageShift    log2 of the base page size
 * @param levels       page-table levels of a new address space
 * @param options      the variant's {@code +}options, in the architecture's declaration order
 * @param memoryModel  the name of the memory model the cell runs under ({@code sc}, {@code tso},
 *                     {@code arm64}, {@code power} or a user's), resolved from the comparison's axis
 */
public record Mechanisms(ShootdownPromise shootdown, TableFreePromise tableFreeing, int pageShift, int levels,
                         List<String> options, String memoryModel) {

    /** The memory model of every comparison without a memory-model axis. */
    public static final String SC = "sc";

    public Mechanisms {
        Validate.isTrue(shootdown != null, "shootdown must not be null");
        Validate.isTrue(tableFreeing != null, "tableFreeing must not be null");
        Validate.isTrue(memoryModel != null && !memoryModel.isEmpty(), "memoryModel must not be empty");
        options = List.copyOf(options);
    }

    /** The mechanisms of a cell run under sequential consistency. */
    public Mechanisms(ShootdownPromise shootdown, TableFreePromise tableFreeing, int pageShift, int levels,
                      List<String> options) {
        this(shootdown, tableFreeing, pageShift, levels, options, SC);
    }

    /**
     * The mechanisms of {@code variant} as a cell on {@code kernel} runs it: a kernel patched to
     * free tables at once ({@link TlbFeatures#TABLE_FREE_AS_CONFIGURED}, patch
     * {@code immediate-table-free}) replaces the variant's table freeing (as {@code Vm} does).
     */
    public static Mechanisms of(ArchVariant variant, Kernel kernel) {
        return of(variant, kernel, SC);
    }

    /** As {@link #of(ArchVariant, Kernel)}, for a cell run under the memory model named {@code memoryModel}. */
    public static Mechanisms of(ArchVariant variant, Kernel kernel, String memoryModel) {
        Validate.isTrue(variant != null, "variant must not be null");
        Validate.isTrue(kernel != null, "kernel must not be null");
        String name = variant.name();
        int plus = name.indexOf('+');
        List<String> options = plus < 0 ? List.of() : List.of(name.substring(plus + 1).split("\\+"));
        TableFreePromise freeing = kernel.get(TlbFeatures.TABLE_FREE_AS_CONFIGURED) ? variant.tableFreeing()
                : ImmediateTableFree.PROMISE;
        return new Mechanisms(variant.shootdown(), freeing, variant.pageShift(),
                variant.newMmGeometry().levels(), options, memoryModel);
    }

    /** This variant's value of {@code m}, as a report shows it, e.g. {@code IPI} or {@code 4K, 4 levels}. */
    public String value(Mechanism m) {
        return switch (m) {
            case FLUSH_STYLE -> shootdown.name();
            case TABLE_FREEING -> tableFreeing.name();
            case PAGE_TABLES -> pageSizeLabel() + ", " + levels + " levels";
            case OPTIONS -> options.isEmpty() ? "none" : "+" + String.join("+", options);
            case MEMORY_MODEL -> memoryModel;
        };
    }

    /**
     * Whether this and {@code other} differ in {@code m}. Flush and table freeing differ when their
     * promises do, names included (so a report never shows two backends as one); whether such a
     * difference can explain a violation is decided from the promised facts alone
     * ({@link Mechanism#canExplain}), so a difference in name only explains nothing.
     */
    public boolean differs(Mechanism m, Mechanisms other) {
        return switch (m) {
            case FLUSH_STYLE -> !shootdown.equals(other.shootdown);
            case TABLE_FREEING -> !tableFreeing.equals(other.tableFreeing);
            default -> !value(m).equals(other.value(m));
        };
    }

    /** The mechanisms that differ between this and {@code other}, in {@link Mechanism} order. */
    public List<Mechanism> differences(Mechanisms other) {
        List<Mechanism> out = new ArrayList<>();
        for (Mechanism m : Mechanism.values()) {
            if (differs(m, other)) {
                out.add(m);
            }
        }
        return out;
    }

    private String pageSizeLabel() {
        return pageShift >= 20 ? (1 << (pageShift - 20)) + "M" : (1 << (pageShift - 10)) + "K";
    }
}
