package org.gupsim.callers;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.Gup;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.util.Args;
import org.gupsim.vm.Task;
import org.gupsim.vm.Vma;

/**
 * io_uring fixed buffers of one ring. Mirrors io_uring/rsrc.c {@code io_sqe_buffers_register()},
 * {@code io_sqe_buffer_register()}, {@code io_pin_pages()}, {@code io_account_mem()} and
 * {@code io_buffer_unmap()}.
 *
 * <p>Each iovec is pinned with FOLL_WRITE|FOLL_LONGTERM (the device may DMA into it for as long as
 * the buffer stays registered). Anything short of all pages is a failure: what was pinned is
 * unpinned and the registration of every earlier iovec undone. Before 6.5 io_uring refused
 * file-backed VMAs other than shmem and hugetlbfs itself (-EOPNOTSUPP); 6.5 delegated that check
 * to GUP ({@link CallerFeatures#IO_URING_FILE_CHECK_IN_GUP}). It pinned with
 * {@code pin_user_pages()} under {@code mmap_read_lock} until 6.10, then with
 * {@code pin_user_pages_fast()} ({@link CallerFeatures#IO_URING_PIN_FAST}).
 */
public final class IoUringBuffers {
    /** One registered buffer. */
    public record Buffer(long addr, int nrPages, Page[] pages) {
    }

    private final Gup gup;
    private final Task task;
    private final List<Buffer> buffers = new ArrayList<>();
    private long accounted;

    public IoUringBuffers(Gup gup, Task task) {
        this.gup = Args.notNull(gup, "gup");
        this.task = Args.notNull(task, "task");
    }

    public List<Buffer> buffers() {
        return List.copyOf(buffers);
    }

    /** Pages charged to {@code locked_vm} / {@code pinned_vm} by this ring. */
    public long accountedPages() {
        return accounted;
    }

    /**
     * Mirrors {@code io_sqe_buffers_register()} for iovecs {@code (addrs[i], lens[i])}.
     *
     * @return 0 with every buffer registered, or the first failure with nothing left registered
     */
    public PinOutcome register(long[] addrs, long[] lens) {
        Validate.isTrue(addrs != null && lens != null && addrs.length == lens.length,
                "addrs and lens must be non-null and of equal length");
        Validate.isTrue(buffers.isEmpty(), "buffers are already registered (-EBUSY in the kernel)");
        GupResult last = null;
        for (int i = 0; i < addrs.length; i++) {
            PinOutcome one = registerOne(addrs[i], lens[i]);
            last = one.gup();
            if (!one.ok()) {
                unregister();
                return new PinOutcome(one.ret(), 0, last, one.reason());
            }
        }
        int total = buffers.stream().mapToInt(Buffer::nrPages).sum();
        return new PinOutcome(0, total, last, null);
    }

    private PinOutcome registerOne(long ubuf, long len) {
        long pageSize = task.mm().pageSize();
        if (len <= 0 || len > (1L << 30)) {
            return new PinOutcome(Errno.EFAULT.negative(), 0, null, "iovec length out of range");
        }
        long end = ubuf + len + pageSize - 1;
        int nrPages = (int) ((end >>> task.mm().pageShift()) - (ubuf >>> task.mm().pageShift()));
        Page[] pages = new Page[nrPages];
        boolean ownFileCheck = !gup.kernel().get(CallerFeatures.IO_URING_FILE_CHECK_IN_GUP);
        GupResult r;
        if (!gup.kernel().get(CallerFeatures.IO_URING_PIN_FAST)) {
            task.mm().mmapLock().downRead(task.vm().cpu());
            try {
                r = gup.pinUserPages(task.mm(), ubuf, nrPages, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
                if (ownFileCheck && r.ret() == nrPages) {
                    String refused = fileBackedRefusal(ubuf, nrPages);
                    if (refused != null) {
                        gup.unpinUserPages(pages, nrPages);
                        return new PinOutcome(Errno.EOPNOTSUPP.negative(), 0, r, refused);
                    }
                }
            } finally {
                task.mm().mmapLock().upRead(task.vm().cpu());
            }
        } else {
            r = gup.pinUserPagesFast(task.mm(), ubuf, nrPages, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        }
        if (r.ret() != nrPages) {
            if (r.ret() > 0) {
                gup.unpinUserPages(pages, (int) r.ret());
            }
            long ret = r.ret() >= 0 ? Errno.EFAULT.negative() : r.ret();
            return new PinOutcome(ret, 0, r, r.reason());
        }
        if (!task.capIpcLock()) {
            long limit = task.rlimitMemlock() >>> task.mm().pageShift();
            if (task.userLockedVm() + nrPages > limit) {
                gup.unpinUserPages(pages, nrPages);
                return new PinOutcome(Errno.ENOMEM.negative(), 0, r, "RLIMIT_MEMLOCK exceeded");
            }
        }
        task.addUserLockedVm(nrPages);
        task.mm().addPinnedVm(nrPages);
        accounted += nrPages;
        buffers.add(new Buffer(ubuf, nrPages, pages));
        return new PinOutcome(0, nrPages, r, null);
    }

    /** The pre-6.5 io_uring check: no file-backed memory except shmem and hugetlbfs. */
    private String fileBackedRefusal(long ubuf, int nrPages) {
        long pageSize = task.mm().pageSize();
        for (int i = 0; i < nrPages; i++) {
            Vma vma = task.mm().vmaLookup(ubuf + i * pageSize);
            if (vma != null && vma.file() != null && !vma.isShmem() && !vma.isHugetlb()) {
                return "io_uring (before 6.5): file-backed buffers other than shmem and hugetlbfs are not supported";
            }
        }
        return null;
    }

    /** Mirrors {@code io_sqe_buffers_unregister()}: unpin every buffer and unaccount. */
    public void unregister() {
        for (Buffer b : buffers) {
            gup.unpinUserPages(b.pages(), b.nrPages());
        }
        buffers.clear();
        task.addUserLockedVm(-accounted);
        task.mm().addPinnedVm(-accounted);
        accounted = 0;
    }
}
