package org.gupsim.arch.s390.kvm;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

import org.apache.commons.lang3.Validate;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Errno;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.util.Args;
import org.gupsim.vm.Task;

/**
 * Guest RAM as QEMU maps it into its own address space: {@code qemu_ram_mmap()} of the backend's
 * file (or anonymous memory), MAP_SHARED when {@code share=on}, else MAP_PRIVATE, readable and
 * writable. The guest has run and written every page of it, as a booted guest kernel has: in a
 * private mapping of a file each page is then an exclusive anonymous copy.
 */
public final class GuestRam {
    /** The name of the file at {@code mem-path}. */
    public static final String FILE_NAME = "guest-ram";

    private final World world;
    private final Task vmm;
    private final GuestMemorySpec spec;
    private final OpenFile file;
    private final long hva;
    private final long len;
    private boolean fileReleased;

    /**
     * Creates and maps {@code basePages} base pages of guest RAM (at least one huge page for hugetlb
     * backings) in {@code vmm}, and writes every page.
     *
     * @throws IllegalStateException if the setup's mmap or write fails (a model bug, not a kernel answer)
     */
    public GuestRam(World world, Task vmm, GuestMemorySpec spec, int basePages) {
        Args.notNull(world, "world");
        Args.notNull(vmm, "vmm");
        Args.notNull(spec, "spec");
        Validate.isTrue(basePages > 0, "basePages must be positive, was %d", basePages);
        this.world = world;
        this.vmm = vmm;
        this.spec = spec;
        Backing backing = spec.backing();
        int pageShift = backing.defaultPageShift(world.arch());
        this.len = Math.max((long) basePages << world.mem().pageShift(), 1L << pageShift);
        this.file = backing.createFile(world.vfs(), FILE_NAME, len, pageShift);
        int flags = (spec.share() ? MAP_SHARED : MAP_PRIVATE) | (file == null ? MAP_ANONYMOUS : 0);
        this.hva = vmm.mmap(0, len, PROT_READ | PROT_WRITE, flags, file, 0);
        if (hva < 0) {
            throw new IllegalStateException("guest RAM " + spec + ": mmap failed: " + Errno.fromReturn(hva));
        }
        long r = vmm.touch(hva, len, true);
        if (r != 0) {
            throw new IllegalStateException("guest RAM " + spec + ": writing it failed: " + Errno.fromReturn(r));
        }
    }

    public GuestMemorySpec spec() {
        return spec;
    }

    /** The host virtual address QEMU mapped it at. */
    public long hva() {
        return hva;
    }

    /** Its size in bytes. */
    public long len() {
        return len;
    }

    /** The open backing file, or null for anonymous memory. */
    public OpenFile file() {
        return file;
    }

    /** {@code munmap()} of the whole of it, as QEMU does when the backend goes away. */
    public long munmap() {
        return vmm.munmap(hva, len);
    }

    /**
     * {@code ftruncate(fd, 0)} of the backing file: every page leaves the page cache and is unmapped
     * everywhere, private copies included.
     *
     * @return null, or the errno
     * @throws IllegalStateException for anonymous memory, which has no file to truncate
     */
    public Errno truncate() {
        if (file == null) {
            throw new IllegalStateException("guest RAM " + spec + " has no file to truncate");
        }
        return world.vfs().ftruncate(file, 0);
    }

    /** Closes the backing file and unlinks it from its mount (idempotent). */
    public void releaseFile() {
        if (file != null && !fileReleased) {
            fileReleased = true;
            world.vfs().fput(file);
        }
        if (spec.backing().linked() && world.vfs().files().containsKey(FILE_NAME)) {
            world.vfs().unlink(FILE_NAME);
        }
    }
}
