/**
 * Kernels as sets of named features, and patches that change them. The bottom of core's model: it
 * imports nothing else of gupsim but {@code util}, so every package above can declare the features it reads.
 *
 * <p>A {@link org.gupsim.kernel.Feature} is a typed key for one behaviour that differs between
 * kernels (where GUP-fast checks long-term write pins, whether {@code pte_offset_map()} takes
 * {@code rcu_read_lock()}, which {@code arch/s390/kvm/pci.c} runs), with its history: each
 * {@link org.gupsim.kernel.FeatureValue} says what the kernel does, and the commit and release
 * that brought it. A {@link org.gupsim.kernel.Kernel} answers every feature: a
 * {@link org.gupsim.kernel.Preset} (a release label) by its release, taking from each feature's
 * history the value in force then, plus what the preset sets itself (a patch posting); a
 * patched kernel by what its {@link org.gupsim.kernel.Patch}es set on top. What changed from
 * one release to the next is derived from those values, never written down twice.
 *
 * <p>Features and patches come from any jar on the class path through
 * {@link java.util.ServiceLoader} ({@link org.gupsim.kernel.FeatureProvider},
 * {@link org.gupsim.kernel.PatchProvider}), gupsim's own included: {@link org.gupsim.kernel.KernelCatalogue}
 * finds them. The kernel counterpart is a kernel tree at a given commit: its Kconfig and the
 * commits it has, seen from mm/gup.c's point of view; nothing here mirrors a kernel file.
 */
package org.gupsim.kernel;
