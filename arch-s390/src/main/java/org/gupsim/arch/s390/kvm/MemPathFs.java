package org.gupsim.arch.s390.kvm;

import org.gupsim.arch.Labelled;
import org.gupsim.scenario.Backing;

/** The filesystem a {@code memory-backend-file}'s {@code mem-path} lies on. */
public enum MemPathFs implements Labelled {
    EXT4("ext4", Backing.EXT4),
    XFS("xfs", Backing.XFS),
    BTRFS("btrfs", Backing.BTRFS),
    TMPFS("tmpfs", Backing.TMPFS),
    /** A hugetlbfs mount of the default huge page size (1M on s390). */
    HUGETLBFS("hugetlbfs", Backing.HUGETLB);

    private final String label;
    private final Backing backing;

    MemPathFs(String label, Backing backing) {
        this.label = label;
        this.backing = backing;
    }

    /** The name users type, e.g. {@code xfs}. */
    @Override
    public String label() {
        return label;
    }

    /** The model's backing for a file on this filesystem. */
    public Backing backing() {
        return backing;
    }
}
