package org.gupsim.callers;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of GUP's in-kernel callers that differ between kernels (io_uring/rsrc.c). */
public final class CallerFeatures implements FeatureProvider {
    /**
     * Who refuses file-backed io_uring fixed buffers: before 6.5 io_uring itself (any
     * {@code vm_file} other than shmem and hugetlbfs, shared or private, -EOPNOTSUPP); from 6.5
     * GUP's long-term rules ("io_uring: rsrc: delegate VMA file-backed check to GUP").
     */
    public static final Feature<Boolean> IO_URING_FILE_CHECK_IN_GUP = Feature.builder(
                    "io-uring-file-check-in-gup", Boolean.class,
                    "whether io_uring leaves refusing file-backed fixed buffers to GUP")
            .initially("no", false, "io_uring/rsrc.c refuses file-backed VMAs other than shmem and hugetlbfs",
                    "before 6.5")
            .from("6.5", "yes", true, "GUP's FOLL_LONGTERM rules decide",
                    "\"io_uring: rsrc: delegate VMA file-backed check to GUP\" (commit id UNCONFIRMED)")
            .build();

    /**
     * How io_uring pins fixed buffers: {@code pin_user_pages()} under {@code mmap_read_lock} until
     * "io_uring: unify io_pin_pages()" (6.10), then {@code pin_user_pages_fast()}.
     */
    public static final Feature<Boolean> IO_URING_PIN_FAST = Feature.builder("io-uring-pin-fast", Boolean.class,
                    "whether io_uring pins fixed buffers with pin_user_pages_fast()")
            .initially("no", false, "pin_user_pages() under mmap_read_lock", "before 6.10")
            .from("6.10", "yes", true, "pin_user_pages_fast()",
                    "\"io_uring: unify io_pin_pages()\" (commit id UNCONFIRMED)")
            .build();
}
