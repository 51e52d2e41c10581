package org.gupsim.gup;

import org.gupsim.mm.Folio;

/**
 * One check GUP-fast makes on a folio it has grabbed, and where it makes it: the step a GUP-fast
 * change replaces. The kernel's own are in {@link KernelFolioChecks} ({@code folio_is_secretmem()},
 * the v6 and v7 postings' {@code folio_longterm_write_pin_allowed()},
 * {@code folio_fast_pin_allowed()}, {@code gup_fast_folio_allowed()}); a kernel picks two through
 * features, {@link GupFeatures#FOLIO_CHECK} and {@link GupFeatures#SECRETMEM_CHECK}, and a patch
 * replaces either by setting it to its own check:
 *
 * <pre>{@code
 * GupFastFolioCheck mine = new GupFastFolioCheck() {
 *     public String name() { return "my_check"; }
 *     public Placement placement() { return Placement.BEFORE_RECHECK; }
 *     public boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k) {
 *         AddressSpace mapping = k.folioMapping(folio);      // READ_ONCE(folio->mapping): explored
 *         return mapping == null || k.shmemMapping(mapping); // mapping->a_ops: explored, UAF-checked
 *     }
 * };
 * Patch p = Patch.builder("my-check").description("...").adds("my posting")
 *         .set(GupFeatures.FOLIO_CHECK, mine).build();
 * }</pre>
 *
 * <p>What holds while a check runs: the folio is referenced (it cannot be freed), IRQs are off
 * (unless {@link GupFeatures#IRQ_DISABLE} is patched away), and from 6.6 on
 * {@code pte_offset_map()}'s {@code rcu_read_lock()} in the PTE walk
 * ({@link org.gupsim.vm.VmFeatures#PTE_OFFSET_MAP_RCU}). Everything else may change under it: truncation may
 * clear {@code folio->mapping} between two reads, and the inode behind a mapping read earlier may
 * be evicted and, after a grace period, freed. A check reads shared state only through
 * {@link GupFastPrimitives}, whose accesses are scheduling points, so the explorer interleaves
 * them with the other CPUs and the use-after-free checks see them, exactly as for the kernel's
 * own checks. Which rechecks surround it is {@link GupFeatures#PMD_RECHECK} and
 * {@link GupFeatures#PTE_RECHECK}.
 */
public interface GupFastFolioCheck {

    /** Where GUP-fast runs a check. */
    enum Placement {
        /**
         * Inside {@code try_grab_folio_fast()}, after the speculative reference and the
         * long-term-pinnable test, before the pin is counted (the v6 and v7 postings).
         */
        IN_TRY_GRAB,
        /**
         * Right after {@code try_grab_folio_fast()} returned the pinned folio, before the PMD and
         * PTE recheck ({@code folio_is_secretmem()} before 6.10).
         */
        BEFORE_RECHECK,
        /**
         * After the PMD and PTE recheck, so the folio is known to have been mapped at the address
         * ({@code folio_fast_pin_allowed()} in 6.5, {@code gup_fast_folio_allowed()} from 6.10).
         */
        AFTER_RECHECK
    }

    /** The kernel function it mirrors (or the patch's own name), e.g. {@code gup_fast_folio_allowed}. */
    String name();

    /** Where GUP-fast runs it. */
    Placement placement();

    /**
     * Whether GUP-fast may keep {@code folio}: false makes it drop the reference and leave this
     * page and the rest of the range to the slow path, which has the VMA.
     *
     * @param folio    the folio, referenced by this call
     * @param gupFlags the call's FOLL flags ({@link Foll#bit()})
     * @param k        the kernel primitives to read shared state with
     */
    boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k);

    /** Why GUP-fast gave up when {@link #allowed} said no, as the call's reason. */
    default String refusal() {
        return "GUP-fast: " + name() + "() refused the folio";
    }
}
