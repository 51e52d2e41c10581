package org.gupsim.testkit;

import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;

/**
 * The final protection of a {@link Mapping}: it is created {@code PROT_READ|PROT_WRITE},
 * touched, then {@code mprotect()}-ed to this.
 */
public enum Prot {
    /** {@code PROT_READ|PROT_WRITE}: no mprotect. */
    RW(PROT_READ | PROT_WRITE),
    /** {@code PROT_READ}. */
    RO(PROT_READ),
    /** {@code PROT_NONE}. */
    NONE(PROT_NONE);

    private final int bits;

    Prot(int bits) {
        this.bits = bits;
    }

    /** The {@code PROT_*} bits. */
    public int bits() {
        return bits;
    }
}
