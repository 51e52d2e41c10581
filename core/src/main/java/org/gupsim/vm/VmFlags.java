package org.gupsim.vm;

/**
 * {@code vm_flags} bits with the kernel's values (include/linux/mm.h), and the mmap/mprotect
 * constants of include/uapi/asm-generic/mman-common.h.
 */
public final class VmFlags {
    public static final long VM_READ = 0x1;
    public static final long VM_WRITE = 0x2;
    public static final long VM_EXEC = 0x4;
    /** {@code VM_ACCESS_FLAGS}: what mprotect() sets from its prot argument. */
    public static final long VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
    public static final long VM_SHARED = 0x8;
    public static final long VM_MAYREAD = 0x10;
    public static final long VM_MAYWRITE = 0x20;
    public static final long VM_MAYEXEC = 0x40;
    public static final long VM_MAYSHARE = 0x80;
    public static final long VM_GROWSDOWN = 0x100;
    public static final long VM_PFNMAP = 0x400;
    public static final long VM_LOCKED = 0x2000;
    public static final long VM_IO = 0x4000;
    public static final long VM_DONTEXPAND = 0x40000;
    public static final long VM_ACCOUNT = 0x100000;
    public static final long VM_NORESERVE = 0x200000;
    public static final long VM_HUGETLB = 0x400000;
    public static final long VM_DONTDUMP = 0x4000000;
    public static final long VM_MIXEDMAP = 0x10000000;
    public static final long VM_HUGEPAGE = 0x20000000;
    public static final long VM_NOHUGEPAGE = 0x40000000;

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;
    /** {@code PROT_SEM}: accepted by the generic {@code arch_validate_prot()}, no effect on the VMA. */
    public static final int PROT_SEM = 0x8;
    /** {@code PROT_GROWSDOWN}: mprotect() extends the range down to the start of a stack VMA. */
    public static final int PROT_GROWSDOWN = 0x01000000;
    /** {@code PROT_GROWSUP}: mprotect() extends the range up to the end of a VM_GROWSUP VMA. */
    public static final int PROT_GROWSUP = 0x02000000;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
    public static final int MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;

    public static final int MADV_DONTNEED = 4;
    public static final int MADV_HUGEPAGE = 14;
    /** {@code MADV_PAGEOUT} (5.4): reclaim the range now (anonymous memory goes to swap). */
    public static final int MADV_PAGEOUT = 21;
    /**
     * {@code MADV_COLLAPSE} (6.1, 7d8faaf15545): collapse the range into transparent huge pages
     * now, from the caller's context.
     */
    public static final int MADV_COLLAPSE = 25;

    private VmFlags() {
    }

    /** Mirrors {@code is_cow_mapping()}: private and potentially writable. */
    public static boolean isCowMapping(long flags) {
        return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    }

    /** {@code calc_vm_prot_bits()}. */
    public static long calcVmProtBits(int prot) {
        long f = 0;
        if ((prot & PROT_READ) != 0) {
            f |= VM_READ;
        }
        if ((prot & PROT_WRITE) != 0) {
            f |= VM_WRITE;
        }
        if ((prot & PROT_EXEC) != 0) {
            f |= VM_EXEC;
        }
        return f;
    }

    /** A short form like {@code rw-s} for listings. */
    public static String describe(long flags) {
        return ((flags & VM_READ) != 0 ? "r" : "-") + ((flags & VM_WRITE) != 0 ? "w" : "-")
                + ((flags & VM_EXEC) != 0 ? "x" : "-") + ((flags & VM_SHARED) != 0 ? "s" : "p");
    }
}
