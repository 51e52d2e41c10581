package org.gupsim.pgtable;

/**
 * A reusable cursor for a page-table walk: where the walk stopped and what it read there.
 * One is allocated per call, never per page.
 */
public final class Walk {
    /** The table holding the entry the walk stopped at. */
    public PageTable table;
    /** The entry's index in {@link #table}. */
    public int index;
    /** The level of that entry. */
    public Level level;
    /** The entry's value as read. */
    public long entry;
    /** Whether the walk reached a leaf (a PTE, or a huge mapping above PTE level) that is present. */
    public boolean leafPresent;
    /** The table holding the entry that pointed to {@link #table} (for a PTE, its PMD), or null at the top. */
    public PageTable parent;
    /** That entry's index in {@link #parent}. */
    public int parentIndex;
    /** That entry's value as the walk read (or wrote) it. */
    public long parentEntry;

    void reset() {
        table = null;
        index = 0;
        level = null;
        entry = 0;
        leafPresent = false;
        parent = null;
        parentIndex = 0;
        parentEntry = 0;
    }

    @Override
    public String toString() {
        return "Walk[" + level + " " + table + "[" + index + "]=0x" + Long.toHexString(entry) + "]";
    }
}
