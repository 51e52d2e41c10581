package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.fs.FsType;
import org.gupsim.fs.MappedRange;
import org.gupsim.fs.OpenFile;

/**
 * A {@code vm_area_struct}: one mapping of an address range with its flags, page protection,
 * file and offset, or anon_vma.
 */
public final class Vma implements MappedRange {
    private final Mm mm;
    private long start;
    private long end;
    private long flags;
    private long pgoff;
    private long pageProt;
    private final OpenFile file;
    private AnonVma anonVma;
    private final List<AnonVma> anonVmaChain = new ArrayList<>();
    /** Holders of the per-VMA lock for read ({@code vma_start_read()}). */
    private int vmLockReaders;
    /** Whether an mmap-lock writer has write-locked this VMA ({@code vm_lock_seq == mm_lock_seq}). */
    private boolean vmWriteLocked;

    Vma(Mm mm, long start, long end, long flags, long pgoff, OpenFile file) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
        this.file = file;
    }

    public Mm mm() {
        return mm;
    }

    @Override
    public long vmStart() {
        return start;
    }

    @Override
    public long vmEnd() {
        return end;
    }

    @Override
    public long vmPgoff() {
        return pgoff;
    }

    public long flags() {
        return flags;
    }

    void setFlags(long f) {
        flags = f;
    }

    void setRange(long s, long e, long off) {
        start = s;
        end = e;
        pgoff = off;
    }

    /** {@code vm_page_prot}: the architecture's protection template for new entries. */
    public long pageProt() {
        return pageProt;
    }

    void setPageProt(long prot) {
        pageProt = prot;
    }

    /** {@code vm_file}; null for anonymous memory. */
    public OpenFile file() {
        return file;
    }

    public AnonVma anonVma() {
        return anonVma;
    }

    void setAnonVma(AnonVma a) {
        anonVma = a;
    }

    /**
     * The {@code anon_vma_chain} ({@code vma->anon_vma_chain}, the "same_vma" list): every anon_vma
     * whose folios this VMA may map, its own {@link #anonVma()} among them. A child of fork is
     * chained to its parent's anon_vmas as well as to its own, so that the reverse map of a folio
     * the two still share finds both.
     */
    public List<AnonVma> anonVmaChain() {
        return anonVmaChain;
    }

    /** Mirrors {@code vma_is_anonymous()}: no vm_ops, i.e. no file behind it. */
    public boolean isAnonymous() {
        return file == null;
    }

    /** Mirrors {@code is_vm_hugetlb_page()}. */
    public boolean isHugetlb() {
        return (flags & VmFlags.VM_HUGETLB) != 0;
    }

    /** Mirrors {@code vma_is_shmem()}. */
    public boolean isShmem() {
        return file != null && file.inode().fs().type() == FsType.SHMEM;
    }

    /** Mirrors {@code vma_is_secretmem()}. */
    public boolean isSecretmem() {
        return file != null && file.inode().fs().type() == FsType.SECRETMEM;
    }

    /** Mirrors {@code vma_is_fsdax()}. */
    public boolean isFsdax() {
        return file != null && file.inode().fs().dax();
    }

    /** Whether its {@code vm_ops} has {@code page_mkwrite} ({@code vm_ops_needs_writenotify}). */
    public boolean hasPageMkwrite() {
        return file != null && file.inode().fs().type().hasPageMkwrite();
    }

    /** Mirrors {@code linear_page_index()}. */
    public long linearPageIndex(long addr) {
        return ((addr - start) >>> mm.pageShift()) + pgoff;
    }

    int vmLockReaders() {
        return vmLockReaders;
    }

    void addVmLockReaders(int delta) {
        vmLockReaders += delta;
    }

    boolean vmWriteLocked() {
        return vmWriteLocked;
    }

    void setVmWriteLocked(boolean value) {
        vmWriteLocked = value;
    }

    public boolean contains(long addr) {
        return addr >= start && addr < end;
    }

    /**
     * {@code start-end flags file}, in hex as /proc/PID/maps shows it. Built by concatenation, not
     * {@code String.format}: the explorer keys every VMA of every execution by this string.
     */
    @Override
    public String toString() {
        return Long.toHexString(start) + "-" + Long.toHexString(end) + " " + VmFlags.describe(flags) + " "
                + (file == null ? "[anon]" : file.inode().toString());
    }
}
