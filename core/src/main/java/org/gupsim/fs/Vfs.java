package org.gupsim.fs;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.internal.FsInternals;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.smp.Rcu;
import org.gupsim.util.Args;

/**
 * The VFS and the page cache policies behind it: file creation, memfd, open/close, unlink,
 * ftruncate, writeback and eviction. Mirrors fs/open.c, fs/inode.c, mm/filemap.c,
 * mm/truncate.c, mm/memfd.c and mm/secretmem.c at the level GUP cares about.
 */
public final class Vfs {
    static {
        // Hands the model's other packages what only the kernel does to the page cache and the VFS.
        FsInternals.ACCESS.install(new FsAccess());
    }

    // The system calls (create, open, unlink, ftruncate, fput, memfd_*) and writeback start with
    // Sched.checkCaller(): the machine's driving thread, and a machine not torn down.
    /** {@code MFD_HUGETLB}. */
    public static final int MFD_HUGETLB = 0x4;

    private final PhysMem mem;
    private final Rcu rcu;
    private final Map<FsType, Filesystem> mounts = new EnumMap<>(FsType.class);
    private final TreeMap<String, Inode> names = new TreeMap<>();
    private RmapHooks rmap;
    private long nextIno = 1;

    public Vfs(PhysMem mem, Rcu rcu) {
        this.mem = Args.notNull(mem, "mem");
        this.rcu = Args.notNull(rcu, "rcu");
        for (FsType t : FsType.values()) {
            mounts.put(t, new Filesystem(t, false, t == FsType.HUGETLBFS ? 21 : 0));
        }
    }

    public PhysMem mem() {
        return mem;
    }

    /**
     * Plugs in the reverse-map operations truncate and writeback need (done when the machine is
     * assembled); through {@code FsInternals.setRmapHooks} from other packages.
     */
    void setRmapHooks(RmapHooks hooks) {
        this.rmap = hooks;
    }

    /** The default mount of a filesystem type. */
    public Filesystem mount(FsType type) {
        return mounts.get(type);
    }

    /** Creates a file on {@code fs}, of {@code size} bytes, linked under {@code name}, and opens it. */
    public OpenFile create(Filesystem fs, String name, long size) {
        mem.sched().checkCaller();
        Args.notNull(fs, "fs");
        Validate.isTrue(name != null && !name.isEmpty(), "name must not be empty");
        Validate.isTrue(size >= 0, "size must not be negative, was %d", size);
        Validate.isTrue(!names.containsKey(name), "name already exists: %s", name);
        Inode inode = new Inode(nextIno++, name, fs, mem.sched());
        names.put(name, inode);
        inode.iSizeWrite(size);
        return open(inode, true);
    }

    /**
     * Mirrors {@code memfd_create()}: an unlinked shmem file, or a hugetlbfs one with
     * {@link #MFD_HUGETLB} (page size {@code 1 << hugePageShift}).
     */
    public OpenFile memfdCreate(String name, int flags, int hugePageShift) {
        mem.sched().checkCaller();
        Validate.isTrue((flags & ~MFD_HUGETLB) == 0, "flags has unknown bits: 0x%x", flags);
        Filesystem fs = (flags & MFD_HUGETLB) != 0
                ? new Filesystem(FsType.HUGETLBFS, false, hugePageShift)
                : mount(FsType.SHMEM);
        return anonFile(fs, "memfd:" + name);
    }

    /** Mirrors {@code memfd_secret()}. */
    public OpenFile memfdSecret() {
        mem.sched().checkCaller();
        return anonFile(mount(FsType.SECRETMEM), "secretmem");
    }

    private OpenFile anonFile(Filesystem fs, String name) {
        Inode inode = new Inode(nextIno++, name, fs, mem.sched());
        inode.clearNlink();
        return open(inode, true);
    }

    /** Opens a linked file by name; null if there is none. */
    public OpenFile open(String name, boolean writable) {
        mem.sched().checkCaller();
        Inode inode = names.get(name);
        return inode == null ? null : open(inode, writable);
    }

    private OpenFile open(Inode inode, boolean writable) {
        inode.ihold();
        return new OpenFile(inode, writable);
    }

    /** Mirrors {@code get_file()}: another holder (an mmap) of the open file. */
    public void getFile(OpenFile file) {
        file.getFile();
    }

    /** Mirrors {@code fput()}: the last put releases the inode reference. */
    public void fput(OpenFile file) {
        mem.sched().checkCaller();
        Validate.isTrue(file.refs() > 0, "file already released: %s", file);
        if (file.fputDecAndTest()) {
            iput(file.inode());
        }
    }

    /** Mirrors {@code unlink()}. */
    public Errno unlink(String name) {
        mem.sched().checkCaller();
        Inode inode = names.remove(name);
        if (inode == null) {
            return Errno.ENOENT;
        }
        inode.clearNlink();
        if (inode.count() == 0) {
            evict(inode);
        }
        return null;
    }

    /** Mirrors {@code iput()}: the last reference to an unlinked inode evicts it. */
    private void iput(Inode inode) {
        if (inode.iputDecAndTest() && inode.nlink() == 0) {
            evict(inode);
        }
    }

    /**
     * Mirrors {@code evict()}: drops the whole page cache, then frees the inode, and with it the
     * address space, after an RCU grace period ({@code destroy_inode} → {@code call_rcu(i_callback)}).
     */
    private void evict(Inode inode) {
        truncateInodePages(inode, 0);
        rcu.callRcu(inode::markFreed);
    }

    /**
     * Mirrors {@code do_sys_ftruncate()} → {@code truncate_setsize()} +
     * {@code truncate_pagecache()}: shrinking unmaps the cut-off part everywhere (private CoW
     * copies included), then removes its folios from the page cache.
     *
     * @return null on success, or the errno
     */
    public Errno ftruncate(OpenFile file, long length) {
        Args.notNull(file, "file");
        mem.sched().checkCaller();
        if (length < 0) {
            return Errno.EINVAL;
        }
        if (!file.writable()) {
            return Errno.EINVAL;
        }
        Inode inode = file.inode();
        int shift = inode.folioPageShift(mem.pageShift());
        if (inode.fs().type() == FsType.HUGETLBFS && (length & ((1L << shift) - 1)) != 0) {
            return Errno.EINVAL;
        }
        long old = inode.size();
        inode.iSizeWrite(length);
        if (length < old) {
            long holeBegin = (length + (1L << mem.pageShift()) - 1) >>> mem.pageShift();
            if (rmap != null) {
                rmap.unmapMappingRange(inode.mapping(), holeBegin, 0, true);
            }
            truncateInodePages(inode, length);
        }
        return null;
    }

    /**
     * Mirrors {@code truncate_inode_pages_range()}: every folio wholly or partly beyond
     * {@code from} leaves the cache. A folio someone still holds (a pin) stays allocated but has
     * no mapping any more.
     */
    private void truncateInodePages(Inode inode, long from) {
        AddressSpace m = inode.mapping();
        int shift = inode.folioPageShift(mem.pageShift());
        long firstSlot = (from + (1L << shift) - 1) >>> shift;
        for (long slot = firstSlot; slot < m.slotLimit(); slot++) {
            Folio f = m.get(slot);
            if (f == null) {
                continue;
            }
            if (f.mapcount() > 0 && rmap != null) {
                rmap.unmapMappingRange(m, f.index(), f.nrPages(), false);
            }
            m.remove(slot);
            MmInternals.clearFlag(f, Folio.PG_DIRTY);
            mem.folioPut(f);
        }
    }

    /**
     * The folio caching base-page {@code index} of {@code inode}, created (read from disk, or
     * zero-filled for shmem and hugetlbfs) if absent. Mirrors {@code filemap_fault()} /
     * {@code shmem_get_folio()} / {@code hugetlb_fault()}'s cache lookup.
     *
     * @return the folio, or null when {@code index} lies beyond the end of the file (SIGBUS) or
     *         memory ran out ({@link #lastFaultOom()} tells which)
     */
    public Folio findOrCreateFolio(Inode inode, long index) {
        lastOom = false;
        int shift = inode.folioPageShift(mem.pageShift());
        int order = shift - mem.pageShift();
        long slot = index >>> order;
        long sizeSlots = (inode.size() + (1L << shift) - 1) >>> shift;
        if (slot >= sizeSlots) {
            return null;
        }
        AddressSpace m = inode.mapping();
        Folio f = m.get(slot);
        if (f != null) {
            return f;
        }
        FsType t = inode.fs().type();
        Gfp gfp = (t == FsType.HUGETLBFS || t == FsType.SECRETMEM) ? Gfp.HIGHUSER : Gfp.HIGHUSER_MOVABLE;
        f = mem.allocFolio(order, gfp);
        if (f == null) {
            lastOom = true;
            return null;
        }
        MmInternals.setFlag(f, Folio.PG_UPTODATE | Folio.PG_LRU);
        if (t == FsType.HUGETLBFS) {
            MmInternals.setFlag(f, Folio.PG_HUGETLB);
            MmInternals.clearFlag(f, Folio.PG_LRU);
        }
        if (t == FsType.SHMEM) {
            MmInternals.setFlag(f, Folio.PG_SWAPBACKED);
        }
        if (inode.fs().dax()) {
            MmInternals.setFlag(f, Folio.PG_FSDAX);
        }
        MmInternals.setMapping(f, m);
        MmInternals.setIndex(f, slot << order);
        m.add(slot, f);
        return f;
    }

    private boolean lastOom;

    /** Whether the last {@link #findOrCreateFolio} failed for lack of memory. */
    public boolean lastFaultOom() {
        return lastOom;
    }

    /**
     * Mirrors {@code filemap_write_and_wait()} on a dirty-tracked file: each dirty folio is
     * cleaned with {@code folio_clear_dirty_for_io()}, which write-protects every PTE mapping it
     * ({@code folio_mkclean()}), then written. Pinned folios are cleaned too: the kernel cannot tell a
     * DMA writer it must stop, which is why long-term write pins of such files are refused.
     *
     * @return folios written
     */
    public int writeback(Inode inode) {
        Args.notNull(inode, "inode");
        mem.sched().checkCaller();
        if (!inode.fs().type().canWriteback()) {
            return 0;
        }
        AddressSpace m = inode.mapping();
        int written = 0;
        for (long slot = 0; slot < m.slotLimit(); slot++) {
            Folio f = m.get(slot);
            if (f == null) {
                continue;
            }
            boolean dirty = f.dirty();
            if (rmap != null && rmap.folioMkclean(f)) {
                dirty = true;
            }
            if (dirty) {
                MmInternals.clearFlag(f, Folio.PG_DIRTY);
                written++;
            }
        }
        return written;
    }

    /** Linked files by name, in name order. */
    public Map<String, Inode> files() {
        return java.util.Collections.unmodifiableMap(names);
    }
}
