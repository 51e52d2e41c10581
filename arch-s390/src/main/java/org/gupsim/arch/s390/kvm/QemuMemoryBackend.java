package org.gupsim.arch.s390.kvm;

import org.gupsim.arch.Labelled;

/**
 * QEMU's guest-memory backend objects ({@code -object memory-backend-*}), with the default of
 * their {@code share} property (backends/hostmem-*.c).
 */
public enum QemuMemoryBackend implements Labelled {
    /** Anonymous memory; {@code share=on} makes it MAP_SHARED|MAP_ANONYMOUS, which is shmem underneath. */
    RAM(false),
    /** A memfd (shmem, or hugetlbfs with {@code hugetlb=on}); shared by default. */
    MEMFD(true),
    /** A file at {@code mem-path}; private (MAP_PRIVATE) by default. */
    FILE(false);

    private final boolean defaultShare;

    QemuMemoryBackend(boolean defaultShare) {
        this.defaultShare = defaultShare;
    }

    /** The QOM type name, {@code memory-backend-} and the constant's name, e.g. {@code memory-backend-file}. */
    @Override
    public String label() {
        return "memory-backend-" + Labelled.ofName(this);
    }

    /** The {@code share} property's default. */
    public boolean defaultShare() {
        return defaultShare;
    }
}
