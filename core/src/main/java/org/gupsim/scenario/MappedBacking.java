package org.gupsim.scenario;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import java.util.Map;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.vm.Task;

/**
 * A process with one resident mapping of a backing: what the scenarios race against. Set up in
 * direct mode, like the setup part of a selftest.
 */
final class MappedBacking {
    static final String FILE_NAME = "gupsim-scenario";

    final World world;
    final Task task;
    final Backing backing;
    final OpenFile file;
    final long addr;
    final long len;
    final int nrPages;
    boolean fileReleased;
    /** A second process a scenario set up beside this one (KSM's merge partner), its mapping and page. */
    Task peer;
    long peerAddr;
    Folio peerFolio;
    /** The scenario's resolved parameters, for the racing CPU's program. */
    Map<String, String> params = Map.of();
    private final Folio[] setupFolios;
    private final java.util.TreeMap<String, Milestone> milestones = new java.util.TreeMap<>();

    /**
     * @param shared MAP_SHARED (for anonymous memory, MAP_PRIVATE otherwise)
     */
    MappedBacking(World world, Backing backing, int basePages, boolean shared) {
        this(world, backing, basePages, shared, 0);
    }

    /**
     * @param fixedAddr where to map it (MAP_FIXED), or 0 to let mmap choose
     */
    MappedBacking(World world, Backing backing, int basePages, boolean shared, long fixedAddr) {
        this(world, backing, basePages, shared, fixedAddr, 0);
    }

    /**
     * @param span how many bytes to map (0: just the touched pages, or one huge page); only the
     *             first {@code basePages} pages are touched, so the rest has no pages and, beyond
     *             the tables the touched pages need, no page tables
     */
    MappedBacking(World world, Backing backing, int basePages, boolean shared, long fixedAddr, long span) {
        this(world, backing, basePages, shared, fixedAddr, span, false);
    }

    /**
     * @param privateFile map a file backing MAP_PRIVATE and only read it in, so that its pages are
     *                    the page cache's, mapped read-only, until a write (or a FOLL_WRITE GUP)
     *                    breaks CoW into an anonymous copy; false maps files MAP_SHARED and
     *                    writes them
     */
    MappedBacking(World world, Backing backing, int basePages, boolean shared, long fixedAddr, long span,
                  boolean privateFile) {
        this(world, backing, basePages, shared, fixedAddr, span, privateFile, backing.defaultPageShift(world.arch()));
    }

    /**
     * @param pageShift the size (log2 bytes) of a hugetlb backing's pages, one of the architecture's
     *                  huge page sizes ({@link Backing#defaultPageShift} for the others)
     */
    MappedBacking(World world, Backing backing, int basePages, boolean shared, long fixedAddr, long span,
                  boolean privateFile, int pageShift) {
        this.world = world;
        this.backing = backing;
        this.task = world.newTask();
        long pageSize = 1L << world.mem().pageShift();
        long touched = Math.max(basePages * pageSize, 1L << pageShift);
        this.len = Math.max(touched, span);
        this.nrPages = basePages;
        this.file = backing.createFile(world.vfs(), FILE_NAME, len, pageShift);
        int flags = file == null ? (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS
                : privateFile ? MAP_PRIVATE : MAP_SHARED;
        this.addr = task.mmap(fixedAddr, len, PROT_READ | PROT_WRITE, fixedAddr != 0 ? flags | MAP_FIXED : flags, file, 0);
        if (addr < 0) {
            throw new IllegalStateException("scenario setup: mmap failed: " + addr);
        }
        long r = task.touch(addr, touched, file == null || !privateFile);
        if (r != 0) {
            throw new IllegalStateException("scenario setup: touching the mapping failed: " + r);
        }
        this.setupFolios = new Folio[basePages];
        for (int i = 0; i < basePages; i++) {
            setupFolios[i] = folioAt(i);
        }
    }

    /**
     * The folio mapped at page {@code i} of the range when it was set up: what a kernel thread
     * that finds pages by frame number (compaction, ksmd) will pick, or null.
     */
    Folio setupFolio(int i) {
        return setupFolios[i];
    }

    /** The folio mapped at page {@code i} of the range now, looked up without scheduling points. */
    private Folio folioAt(int i) {
        PageTables pt = task.mm().pageTables();
        Walk w = pt.peekWalk(addr + ((long) i << pt.geometry().pageShift()), new Walk());
        if (!w.leafPresent) {
            return null;
        }
        long size = pt.geometry().size(w.level);
        long pfn = pt.format().leafPfn(w.level, w.entry) + (((addr + ((long) i << pt.geometry().pageShift()))
                & (size - 1)) >>> pt.geometry().pageShift());
        return world.mem().pfnToPage(pfn).folio();
    }

    /** The milestone called {@code name} of this execution, made on first use. */
    Milestone milestone(String name) {
        return milestones.computeIfAbsent(name, Milestone::new);
    }

    /**
     * Setup (direct mode): {@code madvise(MADV_HUGEPAGE)} over the whole mapping, after its pages
     * were touched small, so khugepaged may collapse it (a fault after it would map a THP at once).
     */
    void madviseHugepage() {
        long r = task.madvise(addr, len, MADV_HUGEPAGE);
        if (r != 0) {
            throw new IllegalStateException("scenario setup: madvise(MADV_HUGEPAGE) failed: " + r);
        }
    }

    /** Closes and unlinks the file if the programs have not already. */
    void releaseFile() {
        if (file != null && !fileReleased) {
            fileReleased = true;
            world.vfs().fput(file);
        }
        if (backing.linked() && world.vfs().files().containsKey(FILE_NAME)) {
            world.vfs().unlink(FILE_NAME);
        }
    }
}
