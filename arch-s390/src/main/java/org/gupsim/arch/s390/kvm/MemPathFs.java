package org.gupsim.arch.s390.kvm;

import org.gupsim.arch.Labelled;
import org.gupsim.scenario.Backing;

/** The filesystem a {@code memory-backend-file}'s {@code mem-path} lies on. */
public enum MemPathFs implements Labelled {
    EXT4(Backing.EXT4),
    XFS(Backing.XFS),
    BTRFS(Backing.BTRFS),
    TMPFS(Backing.TMPFS),
    /** A hugetlbfs mount of the default huge page size (1M on s390). */
    HUGETLBFS(Backing.HUGETLB);

    private final Backing backing;

    MemPathFs(Backing backing) {
        this.backing = backing;
    }

    /** The name users type, the filesystem's own, e.g. {@code xfs}. */
    @Override
    public String label() {
        return Labelled.ofName(this);
    }

    /** The model's backing for a file on this filesystem. */
    public Backing backing() {
        return backing;
    }
}
