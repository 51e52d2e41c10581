package org.gupsim.pgtable;

/** The kernel's five page-table levels, top to bottom. */
public enum Level {
    PGD("pgd"), P4D("p4d"), PUD("pud"), PMD("pmd"), PTE("pte");

    private static final Level[] VALUES = values();
    private final String kernelName;

    Level(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The kernel's prefix for this level, e.g. {@code "pmd"}. */
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
