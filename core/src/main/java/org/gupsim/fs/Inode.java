package org.gupsim.fs;

/**
 * An inode: size, link count, references, and its address space. Mirrors {@code struct inode}.
 * Inodes are freed through RCU ({@code i_callback}), which is what lets GUP-fast look at
 * {@code folio->mapping} with IRQs off.
 */
public final class Inode {
    private final long ino;
    private final String name;
    private final Filesystem fs;
    private final AddressSpace mapping;
    private long size;
    private int nlink;
    private int count;
    private boolean freed;

    Inode(long ino, String name, Filesystem fs, org.gupsim.sched.Sched sched) {
        this.ino = ino;
        this.name = name;
        this.fs = fs;
        this.nlink = 1;
        this.mapping = new AddressSpace(this, sched);
    }

    public long ino() {
        return ino;
    }

    public String name() {
        return name;
    }

    public Filesystem fs() {
        return fs;
    }

    /** {@code inode->i_mapping}. */
    public AddressSpace mapping() {
        return mapping;
    }

    /** {@code i_size}. */
    public long size() {
        return size;
    }

    /** Mirrors {@code i_size_write()}. */
    void iSizeWrite(long newSize) {
        size = newSize;
    }

    public int nlink() {
        return nlink;
    }

    /** Mirrors {@code clear_nlink()}: no name links to it any more (unlinked, or never linked: memfd). */
    void clearNlink() {
        nlink = 0;
    }

    /** {@code i_count}: open files and other holders. */
    public int count() {
        return count;
    }

    /** Mirrors {@code ihold()}: {@code atomic_inc(&inode->i_count)}. */
    void ihold() {
        count++;
    }

    /** {@code iput()}'s {@code atomic_dec_and_lock(&inode->i_count)}: whether that was the last reference. */
    boolean iputDecAndTest() {
        return --count == 0;
    }

    public boolean freed() {
        return freed;
    }

    void markFreed() {
        freed = true;
        mapping.markFreed();
    }

    /** The base page size of the folios this file's page cache holds (huge for hugetlbfs). */
    public int folioPageShift(int basePageShift) {
        return fs.hugePageShift() != 0 ? fs.hugePageShift() : basePageShift;
    }

    @Override
    public String toString() {
        return fs.type().kernelName() + ":" + name + "(ino " + ino + ")";
    }
}
