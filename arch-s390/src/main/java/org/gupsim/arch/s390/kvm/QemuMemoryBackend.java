package org.gupsim.arch.s390.kvm;

import org.gupsim.arch.Labelled;

/**
 * QEMU's guest-memory backend objects ({@code -object memory-backend-*}), with the default of
 * their {@code share} property (backends/hostmem-*.c).
 */
public enum QemuMemoryBackend implements Labelled {
    /** Anonymous memory; {@code share=on} makes it MAP_SHARED|MAP_ANONYMOUS, which is shmem underneath. */
    RAM("memory-backend-ram", false),
    /** A memfd (shmem, or hugetlbfs with {@code hugetlb=on}); shared by default. */
    MEMFD("memory-backend-memfd", true),
    /** A file at {@code mem-path}; private (MAP_PRIVATE) by default. */
    FILE("memory-backend-file", false);

    private final String label;
    private final boolean defaultShare;

    QemuMemoryBackend(String label, boolean defaultShare) {
        this.label = label;
        this.defaultShare = defaultShare;
    }

    /** The QOM type name, e.g. {@code memory-backend-file}. */
    @Override
    public String label() {
        return label;
    }

    /** The {@code share} property's default. */
    public boolean defaultShare() {
        return defaultShare;
    }
}
