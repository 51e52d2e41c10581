package org.gupsim.pgtable;

/** The kernel's five page-table levels, top to bottom. */
public enum Level {
    PGD, P4D, PUD, PMD, PTE;

    private static final Level[] VALUES = values();
    private final String kernelName = name().toLowerCase(java.util.Locale.ROOT);

    /** The kernel's prefix for this level, e.g. {@code "pmd"}: the constant's name in lower case. */
    public String kernelName() {
        return kernelName;
    }

    /** The level below this one; PTE has none. */
    public Level below() {
        if (this == PTE) {
            throw new IllegalStateException("no level below PTE");
        }
        return VALUES[ordinal() + 1];
    }

    public static Level of(int ordinal) {
        return VALUES[ordinal];
    }
}
