package org.gupsim.vm;

import org.gupsim.mm.Errno;

/** {@code vm_fault_t} bits and {@code FAULT_FLAG_*} values (include/linux/mm_types.h, mm.h). */
public final class VmFault {
    public static final int VM_FAULT_OOM = 0x1;
    public static final int VM_FAULT_SIGBUS = 0x2;
    public static final int VM_FAULT_HWPOISON = 0x10;
    public static final int VM_FAULT_SIGSEGV = 0x40;
    public static final int VM_FAULT_RETRY = 0x400;
    /** A huge mapping could not be handled whole and was split: the PTE fault path takes over. */
    public static final int VM_FAULT_FALLBACK = 0x800;
    public static final int VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON;

    public static final int FAULT_FLAG_WRITE = 0x1;
    public static final int FAULT_FLAG_ALLOW_RETRY = 0x4;
    public static final int FAULT_FLAG_KILLABLE = 0x10;
    public static final int FAULT_FLAG_TRIED = 0x20;
    public static final int FAULT_FLAG_USER = 0x40;
    public static final int FAULT_FLAG_REMOTE = 0x80;
    public static final int FAULT_FLAG_UNSHARE = 0x400;

    private VmFault() {
    }

    /**
     * Mirrors {@code vm_fault_to_errno()}: OOM is -ENOMEM, HWPOISON is -EHWPOISON only when the
     * caller asked (FOLL_HWPOISON), SIGBUS and SIGSEGV are -EFAULT.
     */
    public static Errno toErrno(int fault, boolean hwpoison) {
        if ((fault & VM_FAULT_OOM) != 0) {
            return Errno.ENOMEM;
        }
        if ((fault & VM_FAULT_HWPOISON) != 0 && hwpoison) {
            return Errno.EHWPOISON;
        }
        if ((fault & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON)) != 0) {
            return Errno.EFAULT;
        }
        return null;
    }
}
