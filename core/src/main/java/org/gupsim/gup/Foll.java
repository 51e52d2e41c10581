package org.gupsim.gup;

import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.lang3.Validate;

/**
 * FOLL flags with the kernel's bit values: the public ones of include/linux/mm_types.h and the
 * internal ones of mm/internal.h, which callers may not pass.
 */
public enum Foll {
    WRITE(0x01), GET(0x04), DUMP(0x08), FORCE(0x10), NOWAIT(0x20), NOFAULT(0x80), HWPOISON(0x100),
    ANON(0x200), LONGTERM(0x400), SPLIT_PMD(0x800), PCI_P2PDMA(0x1000), INTERRUPTIBLE(0x2000),
    HONOR_NUMA_FAULT(0x4000),
    /** Internal: mark pages accessed (and dirty on write). */
    TOUCH(1 << 16),
    /** Internal: a retry after the mmap lock was dropped. */
    TRIED(1 << 17),
    /** Internal: the mm is not current's. */
    REMOTE(1 << 18),
    /** Internal: pin_user_pages*() — pinned, to be released with unpin_user_page(). */
    PIN(1 << 19),
    /** Internal: GUP-fast only, never fall back. */
    FAST_ONLY(1 << 20),
    /** Internal: the mmap lock may be dropped. */
    UNLOCKABLE(1 << 21),
    /** Internal: MADV_POPULATE_(READ|WRITE). */
    MADV_POPULATE(1 << 22);

    /** {@code INTERNAL_GUP_FLAGS}. */
    public static final int INTERNAL = TOUCH.bit | TRIED.bit | REMOTE.bit | PIN.bit | FAST_ONLY.bit
            | UNLOCKABLE.bit | MADV_POPULATE.bit;

    /** The flags {@code gup_fast_fallback()} accepts. */
    public static final int FAST_ALLOWED = WRITE.bit | LONGTERM.bit | FORCE.bit | PIN.bit | GET.bit
            | FAST_ONLY.bit | NOFAULT.bit | PCI_P2PDMA.bit | HONOR_NUMA_FAULT.bit;

    private final int bit;

    Foll(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    /** Whether callers may not pass this flag ({@code INTERNAL_GUP_FLAGS}). */
    public boolean internal() {
        return (INTERNAL & bit) != 0;
    }

    /**
     * The bit mask of a set of flags.
     *
     * @throws IllegalArgumentException if {@code flags} is null or holds null (a {@code HashSet} can)
     */
    public static int bits(Set<Foll> flags) {
        Validate.isTrue(flags != null, "gupFlags must not be null");
        int b = 0;
        for (Foll f : flags) {
            Validate.isTrue(f != null, "gupFlags must not contain null: %s", flags);
            b |= f.bit;
        }
        return b;
    }

    /** The set of flags in a bit mask (unknown bits ignored). */
    public static EnumSet<Foll> of(int bits) {
        EnumSet<Foll> s = EnumSet.noneOf(Foll.class);
        for (Foll f : values()) {
            if ((bits & f.bit) != 0) {
                s.add(f);
            }
        }
        return s;
    }

    /** A kernel-style rendering, e.g. {@code FOLL_WRITE|FOLL_LONGTERM}. */
    public static String describe(int bits) {
        StringBuilder sb = new StringBuilder();
        for (Foll f : values()) {
            if ((bits & f.bit) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append("FOLL_").append(f.name());
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
