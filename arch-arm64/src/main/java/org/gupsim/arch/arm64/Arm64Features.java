package org.gupsim.arch.arm64;

import java.util.List;
import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of arch/arm64 that differ between kernels. */
public final class Arm64Features implements FeatureProvider {
    /**
     * Whether 4K and 16K builds may have 52-bit virtual addresses, and so use FEAT_LPA2: from 6.9
     * (352b0395b505 "Enable 52-bit virtual addressing for 4k and 16k granule configs"); before,
     * {@code ARM64_VA_BITS_52} depended on 64K pages.
     */
    public static final Feature<Boolean> VA52_SMALL_GRANULES = Feature.builder("arm64-va52-4k-16k", Boolean.class,
                    "whether 4K and 16K builds can have 52-bit virtual addresses with FEAT_LPA2")
            .initially("no", false, "ARM64_VA_BITS_52 needs 64K pages", "before 352b0395b505")
            .from("6.9", "yes", true, "52-bit VAs with 4K and 16K pages, the kernel using FEAT_LPA2", "352b0395b505")
            .build();

    /**
     * Whether every 4K and 16K build uses FEAT_LPA2 on CPUs that have it: until 6.14
     * {@code ARM64_LPA2} needed {@code ARM64_PA_BITS_52}, which such a build could only select
     * with {@code ARM64_VA_BITS_52}; 32d053d6f5e9 ("Drop configurable 48-bit physical address
     * space limit", 6.14) made it unconditional.
     */
    public static final Feature<Boolean> LPA2_EVERY_BUILD = Feature.builder("arm64-lpa2-every-build", Boolean.class,
                    "whether every 4K and 16K build uses FEAT_LPA2, not only 52-bit ones")
            .initially("va52-only", false, "ARM64_LPA2 only with ARM64_VA_BITS_52", "before 32d053d6f5e9")
            .from("6.14", "yes", true, "ARM64_LPA2 unconditional for 4K and 16K pages", "32d053d6f5e9")
            .build();

    /**
     * Whether builds of four levels or fewer have their own lockless offset through a level
     * folded at run time: 36639013b346 ("Fix lockless walks with static and dynamic page-table
     * folding", v6.11-rc1; 6.10.3 in stable) added {@code p4d_offset_lockless_folded()}; before,
     * the generic {@code p4d_offset_lockless()} handed on the stack copy.
     */
    public static final Feature<Boolean> P4D_OFFSET_LOCKLESS_FOLDED = Feature.builder(
                    "arm64-p4d-offset-lockless-folded", Boolean.class,
                    "whether GUP-fast offsets a run-time folded arm64 level from the real pointer")
            .initially("no", false, "generic p4d_offset_lockless(): the stack copy", "before 36639013b346")
            .from("6.11", "yes", true, "p4d_offset_lockless_folded(): the real pgd pointer", "36639013b346")
            .build();

    @Override
    public List<Feature<?>> features() {
        return List.of(VA52_SMALL_GRANULES, LPA2_EVERY_BUILD, P4D_OFFSET_LOCKLESS_FOLDED);
    }
}
