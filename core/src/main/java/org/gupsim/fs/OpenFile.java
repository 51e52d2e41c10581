package org.gupsim.fs;

/** A {@code struct file}: an open file description. */
public final class OpenFile {
    private final Inode inode;
    private final boolean writable;
    private int refs = 1;

    OpenFile(Inode inode, boolean writable) {
        this.inode = inode;
        this.writable = writable;
    }

    public Inode inode() {
        return inode;
    }

    /** Opened with write access ({@code FMODE_WRITE}). */
    public boolean writable() {
        return writable;
    }

    public int refs() {
        return refs;
    }

    void setRefs(int r) {
        refs = r;
    }

    @Override
    public String toString() {
        return "file(" + inode + ")";
    }
}
