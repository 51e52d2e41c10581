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

    /** {@code get_file()}'s {@code atomic_long_inc(&f->f_count)}. */
    void getFile() {
        refs++;
    }

    /** {@code fput()}'s {@code atomic_long_dec_and_test(&file->f_count)}: whether that was the last reference. */
    boolean fputDecAndTest() {
        return --refs == 0;
    }

    @Override
    public String toString() {
        return "file(" + inode + ")";
    }
}
