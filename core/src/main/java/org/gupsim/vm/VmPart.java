package org.gupsim.vm;

import org.gupsim.mm.PhysMem;

/**
 * One part of a machine's memory manager (the code of one file of mm/, such as reclaim, fork's
 * copy or zapping), with the machine's {@link Vm} and physical memory at hand. Each part is
 * created once by its {@code Vm}, except the public {@link Ksm} and {@link Migrate}, which their
 * callers make.
 */
abstract class VmPart {
    /** The memory manager this part belongs to. */
    final Vm vm;
    /** Its physical memory. */
    final PhysMem mem;

    VmPart(Vm vm) {
        this.vm = vm;
        this.mem = vm.mem();
    }
}
