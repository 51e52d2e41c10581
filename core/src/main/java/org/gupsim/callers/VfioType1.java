package org.gupsim.callers;

import java.util.EnumSet;
import org.apache.commons.lang3.Validate;
import org.gupsim.gup.Foll;
import org.gupsim.gup.Gup;
import org.gupsim.gup.GupResult;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.util.Args;
import org.gupsim.vm.Mm;
import org.gupsim.vm.Task;

/**
 * VFIO type1 IOMMU pinning of a user DMA mapping. Mirrors drivers/vfio/vfio_iommu_type1.c
 * {@code vfio_pin_pages_remote()} → {@code vaddr_get_pfns()} → {@code pin_user_pages_remote()}
 * with FOLL_LONGTERM (and FOLL_WRITE for writable DMA), {@code vfio_lock_acct()} against
 * RLIMIT_MEMLOCK, and {@code vfio_unpin_pages_remote()} via
 * {@code unpin_user_pages_dirty_lock()}.
 */
public final class VfioType1 {
    private final Gup gup;
    private final Task task;

    public VfioType1(Gup gup, Task task) {
        this.gup = Args.notNull(gup, "gup");
        this.task = Args.notNull(task, "task");
    }

    /**
     * Pins {@code npages} pages at {@code vaddr} for DMA, as {@code VFIO_IOMMU_MAP_DMA} does.
     *
     * @param write DMA may write (IOMMU_WRITE)
     * @param pages receives the pinned pages
     * @return pages pinned, or a negative errno with nothing left pinned
     */
    public PinOutcome vfioPinPagesRemote(long vaddr, int npages, boolean write, Page[] pages) {
        Validate.isTrue(npages > 0, "npages must be positive, was %d", npages);
        Validate.isTrue(pages != null && pages.length >= npages, "pages must hold npages entries");
        Mm mm = task.mm();
        EnumSet<Foll> flags = write ? EnumSet.of(Foll.LONGTERM, Foll.WRITE) : EnumSet.of(Foll.LONGTERM);
        GupResult r;
        mm.mmapLock().downRead(task.vm().cpu());
        try {
            r = gup.pinUserPagesRemote(mm, vaddr, npages, flags, pages, null);
        } finally {
            mm.mmapLock().upRead(task.vm().cpu());
        }
        if (r.ret() <= 0) {
            long ret = r.ret() == 0 ? Errno.EFAULT.negative() : r.ret();
            return new PinOutcome(ret, 0, r, r.reason());
        }
        int pinned = (int) r.ret();
        if (!task.capIpcLock()) {
            long limit = task.rlimitMemlock() >>> mm.pageShift();
            if (mm.lockedVm() + pinned > limit) {
                gup.unpinUserPagesDirtyLock(pages, pinned, false);
                return new PinOutcome(Errno.ENOMEM.negative(), 0, r, "RLIMIT_MEMLOCK exceeded");
            }
        }
        mm.addLockedVm(pinned);
        return new PinOutcome(pinned, pinned, r, pinned < npages ? r.reason() : null);
    }

    /** Mirrors {@code vfio_unpin_pages_remote()}: unpin (dirtying written pages) and unaccount. */
    public void vfioUnpinPagesRemote(Page[] pages, int npages, boolean write) {
        gup.unpinUserPagesDirtyLock(pages, npages, write);
        task.mm().addLockedVm(-npages);
    }
}
