package org.gupsim.arch;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.util.Args;

/**
 * A variant composed of parts: an architecture's page tables (geometry, entry format, layout, taken
 * from one of its variants), a flush backend and a table-freeing policy. A {@link VariantProvider}
 * contributes recipes from any jar on the class path; the project contributes its own the same way
 * (x86's Intel RAR variant). The composed variant appears under {@code arch:name} in
 * {@code list}, {@code pin}, {@code explore}, {@code replay} and {@code compare} like a built-in one,
 * takes the architecture's {@code +options} (applied to its page tables), and the comparison
 * reasons about it from its backends' promises.
 *
 * <pre>{@code
 * new VariantRecipe("x86_64", "rar", "Intel RAR: targeted, no IPI; RCU table freeing", "native-rcu",
 *         RarFlush::new, () -> new RcuTableFree(true), VariantRecipe.Availability.ALWAYS);
 * }</pre>
 *
 * @param arch         the architecture it belongs to, e.g. {@code x86_64}
 * @param name         the label users type after the colon; not one of the architecture's own
 * @param description  one line for listings
 * @param pageTables   the architecture's variant whose page tables it takes, e.g. {@code native-rcu}
 * @param flush        makes the flush backend (one per variant object)
 * @param tableFree    makes the table-freeing policy (one per variant object)
 * @param availability which kernels have it
 */
public record VariantRecipe(String arch, String name, String description, String pageTables,
                            Supplier<FlushBackend> flush, Supplier<TableFreePolicy> tableFree,
                            Availability availability) {

    /** Which kernels have a composed variant. */
    @FunctionalInterface
    public interface Availability {
        /** On every kernel. */
        Availability ALWAYS = kernel -> Optional.empty();

        /** Why {@code kernel} does not have it (which release or series brought it), or empty. */
        Optional<String> unavailableOn(Kernel kernel);
    }

    public VariantRecipe {
        Validate.isTrue(arch != null && !arch.isBlank(), "arch must not be empty");
        Validate.isTrue(name != null && name.matches("[a-z0-9][a-z0-9-]*"),
                "name must be lower-case letters, digits and '-', was '%s'", name);
        Args.notNull(description, "description");
        Validate.isTrue(pageTables != null && !pageTables.isBlank(), "pageTables must not be empty");
        Args.notNull(flush, "flush");
        Args.notNull(tableFree, "tableFree");
        Args.notNull(availability, "availability");
    }
}
