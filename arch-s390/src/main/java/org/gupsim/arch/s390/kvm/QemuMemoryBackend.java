package org.gupsim.arch.s390.kvm;

import java.util.Arrays;
import java.util.List;

/**
 * QEMU's guest-memory backend objects ({@code -object memory-backend-*}), with the default of
 * their {@code share} property (backends/hostmem-*.c).
 */
public enum QemuMemoryBackend {
    /** Anonymous memory; {@code share=on} makes it MAP_SHARED|MAP_ANONYMOUS, which is shmem underneath. */
    RAM("memory-backend-ram", false),
    /** A memfd (shmem, or hugetlbfs with {@code hugetlb=on}); shared by default. */
    MEMFD("memory-backend-memfd", true),
    /** A file at {@code mem-path}; private (MAP_PRIVATE) by default. */
    FILE("memory-backend-file", false);

    private final String qemuName;
    private final boolean defaultShare;

    QemuMemoryBackend(String qemuName, boolean defaultShare) {
        this.qemuName = qemuName;
        this.defaultShare = defaultShare;
    }

    /** The QOM type name, e.g. {@code memory-backend-file}. */
    public String qemuName() {
        return qemuName;
    }

    /** The {@code share} property's default. */
    public boolean defaultShare() {
        return defaultShare;
    }

    public static List<String> qemuNames() {
        return Arrays.stream(values()).map(QemuMemoryBackend::qemuName).toList();
    }

    /** The backend called {@code name}, or null. */
    public static QemuMemoryBackend byQemuName(String name) {
        for (QemuMemoryBackend b : values()) {
            if (b.qemuName.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
