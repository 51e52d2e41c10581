package org.gupsim.vm;

import org.gupsim.pgtable.EntryFormat;

/**
 * The kinds of swap entry a non-present PTE can hold and how they are made and read. Mirrors
 * include/linux/swapops.h and the type numbers of include/linux/swap.h: types below
 * {@code MAX_SWAPFILES} name a swap device, the three above name a page under migration by its
 * pfn, readable, readable and exclusive ({@code PageAnonExclusive} remembered), or writable.
 * The numbering follows swap.h with device-private entries, hwpoison and PTE markers configured
 * (UNCONFIRMED: swap.h was not read; only the kinds matter to the model, not the numbers).
 */
public final class SwapOps {
    /** The swap device modelled ({@link org.gupsim.mm.SwapSpace}). */
    public static final int SWAP_DEVICE = 0;
    /** {@code MAX_SWAPFILES}: 2^5 types less 4 device-private, 3 migration, 1 hwpoison, 1 marker. */
    public static final int MAX_SWAPFILES = 32 - 4 - 3 - 1 - 1;
    /** {@code SWP_MIGRATION_READ}. */
    public static final int SWP_MIGRATION_READ = MAX_SWAPFILES + 1;
    /** {@code SWP_MIGRATION_READ_EXCLUSIVE}. */
    public static final int SWP_MIGRATION_READ_EXCLUSIVE = MAX_SWAPFILES + 2;
    /** {@code SWP_MIGRATION_WRITE}. */
    public static final int SWP_MIGRATION_WRITE = MAX_SWAPFILES + 3;

    private SwapOps() {
    }

    /** Mirrors {@code non_swap_entry()} negated: the PTE names a slot of a swap device. */
    public static boolean isSwapEntry(EntryFormat fmt, long pte) {
        return fmt.swpType(pte) < MAX_SWAPFILES;
    }

    /** Mirrors {@code is_migration_entry()}. */
    public static boolean isMigrationEntry(EntryFormat fmt, long pte) {
        int t = fmt.swpType(pte);
        return t >= SWP_MIGRATION_READ && t <= SWP_MIGRATION_WRITE;
    }

    /** Mirrors {@code is_writable_migration_entry()}. */
    public static boolean isWritableMigrationEntry(EntryFormat fmt, long pte) {
        return fmt.swpType(pte) == SWP_MIGRATION_WRITE;
    }

    /** Mirrors {@code is_readable_migration_entry()}: readable and not exclusive. */
    public static boolean isReadableMigrationEntry(EntryFormat fmt, long pte) {
        return fmt.swpType(pte) == SWP_MIGRATION_READ;
    }

    /**
     * Mirrors {@code make_writable_migration_entry()}, {@code make_readable_exclusive_migration_entry()}
     * and {@code make_readable_migration_entry()} as {@code try_to_migrate_one()} chooses: writable
     * if the PTE was, else exclusive if the page was {@code PageAnonExclusive}.
     */
    public static long mkMigrationPte(EntryFormat fmt, long pfn, boolean writable, boolean anonExclusive) {
        int type = writable ? SWP_MIGRATION_WRITE : anonExclusive ? SWP_MIGRATION_READ_EXCLUSIVE : SWP_MIGRATION_READ;
        return fmt.mkSwpPte(type, pfn);
    }

    /** Mirrors {@code swp_entry_to_pte(swp_entry(SWAP_DEVICE, offset))}. */
    public static long mkSwapPte(EntryFormat fmt, long offset) {
        return fmt.mkSwpPte(SWAP_DEVICE, offset);
    }
}
