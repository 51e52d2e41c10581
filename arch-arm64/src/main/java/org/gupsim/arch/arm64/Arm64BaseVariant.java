package org.gupsim.arch.arm64;

import org.gupsim.arch.Labelled;

/**
 * The base variants of arm64: a kernel configuration of translation granule
 * ({@code CONFIG_ARM64_{4K,16K,64K}_PAGES}) and virtual-address size ({@code CONFIG_ARM64_VA_BITS}).
 * The declaration order is the listing order.
 *
 * <p>Only the 52-bit configurations of the 4K and 16K granules fold a level at run time. They are
 * built with one translation level more than a CPU without FEAT_LPA2 can use (4K: 5 levels, 16K:
 * 4); on such a CPU {@code vabits_actual} drops to {@code VA_BITS_MIN} (48 with 4K, 47 with 16K,
 * arch/arm64/include/asm/memory.h) and {@code pgtable_l5_enabled()} / {@code pgtable_l4_enabled()}
 * say the top level is folded (spec §8, §6c). They exist from 6.9 on
 * ({@link Arm64Variant#unavailableOn}). A 16K 48-bit kernel is 4 levels on every CPU:
 * arch/arm64/Kconfig gives it {@code PGTABLE_LEVELS} 4, its {@code VA_BITS_MIN} is {@code VA_BITS},
 * and three 16K levels resolve only 47 bits, so its top table (2 entries) can never be folded.
 * Up to 6.13 {@code pgtable_l4_enabled()} returns true at its first test for it, as
 * {@code ARM64_LPA2} needed 52-bit VAs. From 6.14 (32d053d6f5e9) {@code ARM64_LPA2} is set in
 * every 4K and 16K build, and the 6.13 function read literally would, once boot capabilities are
 * final, ask {@code ARM64_HAS_VA52}, which only a 52-bit build registers: that would fold the
 * 4-level 4K 48-bit default configuration on every CPU just the same, which evidently does not
 * happen. UNCONFIRMED how the 6.14 and later source keeps these levels (we could not read it);
 * the model keeps 16k-48, like 4k-48, at 4 levels.
 */
public enum Arm64BaseVariant implements Labelled {
    /** 4K granule, 39-bit VAs: 3 levels. */
    K4_39("4k-39", 12, 39, false),
    /** 4K granule, 48-bit VAs: 4 levels (the default configuration). */
    K4_48("4k-48", 12, 48, false),
    /** 4K granule, 52-bit VAs: 5 levels with LPA2, else the top level folded at run time (48-bit). */
    K4_52("4k-52", 12, 52, true),
    /** 16K granule, 47-bit VAs: 3 levels. */
    K16_47("16k-47", 14, 47, false),
    /** 16K granule, 48-bit VAs: 4 levels (a 2-entry top table) on every CPU. */
    K16_48("16k-48", 14, 48, false),
    /** 16K granule, 52-bit VAs: 4 levels with LPA2, else the top level folded at run time (47-bit). */
    K16_52("16k-52", 14, 52, true),
    /** 64K granule, 42-bit VAs: 2 levels. */
    K64_42("64k-42", 16, 42, false),
    /** 64K granule, 48-bit VAs: 3 levels. */
    K64_48("64k-48", 16, 48, false);

    private final String label;
    private final int pageShift;
    private final int vaBits;
    private final boolean foldsWithoutLpa2;

    Arm64BaseVariant(String label, int pageShift, int vaBits, boolean foldsWithoutLpa2) {
        this.label = label;
        this.pageShift = pageShift;
        this.vaBits = vaBits;
        this.foldsWithoutLpa2 = foldsWithoutLpa2;
    }

    /** The name users type, e.g. {@code 16k-47}. */
    @Override
    public String label() {
        return label;
    }

    /** {@code PAGE_SHIFT}: 12, 14 or 16. */
    public int pageShift() {
        return pageShift;
    }

    /** {@code CONFIG_ARM64_VA_BITS}: the size the kernel was built for. */
    public int vaBits() {
        return vaBits;
    }

    /** Whether the top level is folded at run time on a CPU without LPA2. */
    public boolean foldsWithoutLpa2() {
        return foldsWithoutLpa2;
    }

    /** {@code vabits_actual}: the configured size, less the folded level's bits without LPA2. */
    public int vaBitsActual(boolean lpa2) {
        if (!foldsWithoutLpa2 || lpa2) {
            return vaBits;
        }
        return pageShift == 12 ? 48 : 47;
    }

    /** Whether LPA2 means anything for this granule (4K and 16K; 64K reaches 52 bits through FEAT_LPA/LVA). */
    public boolean lpa2Applies() {
        return pageShift != 16;
    }
}
