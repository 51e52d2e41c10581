package org.gupsim.mm;

/**
 * The Linux errno values the model returns, with their numbers from
 * include/uapi/asm-generic/errno-base.h and errno.h. Kernel functions return them negated.
 */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), ENXIO(6), EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16),
    EEXIST(17), ENODEV(19), EINVAL(22), ENOSPC(28), EMLINK(31), ERANGE(34), EOVERFLOW(75),
    EOPNOTSUPP(95), EREMOTEIO(121), EHWPOISON(133);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The positive errno number. */
    public int code() {
        return code;
    }

    /** The value a kernel function returns for this error: {@code -code}. */
    public int negative() {
        return -code;
    }

    /** The errno whose negated value {@code ret} is, e.g. {@code fromReturn(-14) == EFAULT}. */
    public static Errno fromReturn(long ret) {
        for (Errno e : values()) {
            if (e.code == -ret) {
                return e;
            }
        }
        throw new IllegalArgumentException("ret is not a known negative errno: " + ret);
    }
}
