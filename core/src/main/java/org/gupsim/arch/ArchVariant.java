package org.gupsim.arch;

import java.util.List;
import java.util.Optional;
import org.gupsim.gup.GupArch;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TableFreePromise;
import org.gupsim.vm.VmArch;

/**
 * One configured variant of an architecture (for example {@code x86_64:native-rcu+la57}): a value
 * that plugs page tables, shootdown and table freeing into the model.
 */
public interface ArchVariant extends VmArch, GupArch {

    Architecture architecture();

    /** The variant as written after the colon, options included, e.g. {@code native+la57}. */
    String name();

    /** {@code arch:variant}, e.g. {@code x86_64:native}. */
    default String fullName() {
        return architecture().name() + ":" + name();
    }

    /** What the flush backend promises: how other CPUs' TLBs are invalidated. */
    default ShootdownPromise shootdown() {
        return flushBackend().promise();
    }

    /** What the table-freeing policy promises: when page-table pages are freed. */
    default TableFreePromise tableFreeing() {
        return tableFreePolicy().promise();
    }

    /** Page sizes a mapping can use, as people write them: {@code 4K}, {@code 2M}, {@code 1G}. */
    List<String> pageSizeNames();

    /**
     * Why this variant does not exist on {@code kernel} (the configuration, or the kernel's
     * support of the CPU feature it names, came later), or empty if it does. Every pairing of a
     * variant with a kernel checks it: {@link ArchRegistry#parse} and booting a machine throw
     * {@link VariantUnavailableException}.
     */
    default Optional<String> unavailableOn(Kernel kernel) {
        return Optional.empty();
    }
}
