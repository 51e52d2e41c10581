package org.gupsim.cli;

import java.util.Iterator;
import java.util.List;
import org.gupsim.arch.Labelled;

/** The kernel entry points {@code gupsim pin --api} can call. */
enum PinApi implements Labelled {
    /** {@code get_user_pages()} under the mmap read lock. */
    GUP("gup", false),
    /** {@code get_user_pages_fast()}. */
    GUP_FAST("gup-fast", false),
    /** {@code pin_user_pages()} under the mmap read lock. */
    PUP("pup", true),
    /** {@code pin_user_pages_fast()}. */
    PUP_FAST("pup-fast", true),
    /** {@code pin_user_pages_remote()} under the mmap read lock, {@code locked == NULL}. */
    PUP_REMOTE("pup-remote", true),
    /** io_uring fixed-buffer registration: always FOLL_WRITE|FOLL_LONGTERM. */
    IO_URING("io_uring", true),
    /** VFIO type1 {@code vfio_pin_pages_remote()}: always FOLL_LONGTERM, FOLL_WRITE with {@code --write}. */
    VFIO("vfio", true);

    private final String label;
    private final boolean pin;

    PinApi(String label, boolean pin) {
        this.label = label;
        this.pin = pin;
    }

    @Override
    public String label() {
        return label;
    }

    /** FOLL_PIN (released with unpin) rather than FOLL_GET (released with put_page). */
    boolean pin() {
        return pin;
    }

    static List<String> labels() {
        return Labelled.labels(values());
    }

    /** The API named {@code label}, or null. */
    static PinApi byLabel(String label) {
        return Labelled.byLabel(values(), label);
    }

    /** For picocli's help and error messages. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return labels().iterator();
        }
    }
}
