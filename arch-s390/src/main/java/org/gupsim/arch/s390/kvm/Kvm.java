package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.mm.Errno;
import org.gupsim.scenario.World;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.smp.SpinLock;
import org.gupsim.util.Args;
import org.gupsim.vm.Task;

/**
 * One KVM virtual machine ({@code struct kvm}) on s390, created by a VMM process: its memslots,
 * published for lockless readers and retired with SRCU, its GISA, and the list of zPCI devices
 * registered with it. Mirrors virt/kvm/kvm_main.c and the s390 parts of {@code struct kvm_arch}.
 *
 * <p>Sleeping mutexes ({@code kvm->lock}, {@code kvm->slots_lock}) are modelled with the model's
 * lock type: a CPU that cannot take one does not run until it can, which is all the explorer
 * needs of a mutex.
 */
public final class Kvm {
    /** {@code KVM_HVA_ERR_BAD} on s390: -1, which no user mapping can contain. */
    public static final long KVM_HVA_ERR_BAD = -1L;

    private final World world;
    private final Task vmm;
    private final int id;
    private final Sched sched;
    private final Srcu srcu;
    private final SpinLock lock;
    private final SpinLock slotsLock;
    private final SpinLock kzdevListLock;
    private final Gisa gisa;
    private final List<KvmZdev> kzdevList = new ArrayList<>();
    /** The published memslot array ({@code kvm->memslots}), replaced wholesale on each change. */
    private List<Memslot> memslots = List.of();
    /**
     * The slots {@code kvm_free_memslot()} has freed: what KASAN's shadow memory knows, so that a
     * reader still holding one is caught. Keyed by identity (a deleted slot and a new one over the
     * same range are different memory); only asked, never iterated.
     */
    private final Set<Memslot> freedMemslots = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * {@code KVM_CREATE_VM} by {@code vmm}.
     *
     * @param id   distinguishes VMs (their GISAs get different addresses)
     * @param gisa whether the machine has a GISA (the AIV facility); without one gisc
     *             registration fails with -ENODEV
     */
    public Kvm(World world, Task vmm, int id, boolean gisa) {
        Args.notNull(world, "world");
        Args.notNull(vmm, "vmm");
        Validate.isTrue(id >= 0, "id must not be negative, was %d", id);
        this.world = world;
        this.vmm = vmm;
        this.id = id;
        this.sched = world.sched();
        this.srcu = new Srcu("kvm" + id + "->srcu", sched, world.smp().cpus().size());
        this.lock = new SpinLock("kvm" + id + "->lock", sched);
        this.slotsLock = new SpinLock("kvm" + id + "->slots_lock", sched);
        this.kzdevListLock = new SpinLock("kvm" + id + "->arch.kzdev_list_lock", sched);
        // The GISA sits in the VM's sie_page2; any distinct non-zero address will do.
        this.gisa = new Gisa(gisa ? 0x7f000000L + 0x1000L * id : 0, "kvm" + id + " gisa", sched);
    }

    public World world() {
        return world;
    }

    /** The process that created the VM and runs its ioctls ({@code current} in them). */
    public Task vmm() {
        return vmm;
    }

    public int id() {
        return id;
    }

    public Gisa gisa() {
        return gisa;
    }

    Srcu srcu() {
        return srcu;
    }

    /** {@code kvm->lock}. */
    SpinLock lock() {
        return lock;
    }

    SpinLock kzdevListLock() {
        return kzdevListLock;
    }

    /** {@code kvm->arch.kzdev_list}; callers hold {@link #kzdevListLock()}. */
    List<KvmZdev> kzdevList() {
        return kzdevList;
    }

    /** The memslots now published. */
    public List<Memslot> memslots() {
        return memslots;
    }

    /**
     * Mirrors {@code KVM_SET_USER_MEMORY_REGION} → {@code kvm_set_memory_region()}: creates slot
     * {@code slot} over {@code [guestPhysAddr, +memorySize)} at {@code userspaceAddr}, or with
     * {@code memorySize == 0} deletes it. Deletion publishes the array without the slot, waits for
     * an SRCU grace period ({@code synchronize_srcu_expedited()} in
     * {@code kvm_swap_active_memslots()}) and frees the slot ({@code kvm_free_memslot()}): no reader
     * can still be translating through it, and when the ioctl returns the VMM may unmap the memory.
     * Where the kernel is patched with {@link KvmPatches#NO_MEMSLOT_SRCU_SYNC} the wait is left out
     * ({@link KvmFeatures#MEMSLOT_SRCU_SYNC}).
     *
     * @return 0, -EINVAL for an unaligned range or a negative slot or size, -EEXIST when the slot
     *         exists already or the range overlaps another slot; deleting a slot that does not
     *         exist is -EINVAL
     */
    public int kvmSetUserMemoryRegion(int slot, long guestPhysAddr, long memorySize, long userspaceAddr) {
        long pageSize = 1L << world.mem().pageShift();
        if (slot < 0 || (guestPhysAddr & (pageSize - 1)) != 0 || (memorySize & (pageSize - 1)) != 0
                || (userspaceAddr & (pageSize - 1)) != 0 || memorySize < 0) {
            return Errno.EINVAL.negative();
        }
        slotsLock.lock(world.vm().cpu());
        try {
            sched.point(this, Access.READ, "kvm_set_memslot");
            List<Memslot> next = new ArrayList<>();
            Memslot old = null;
            for (Memslot m : memslots) {
                if (m.id() == slot) {
                    old = m;
                } else {
                    next.add(m);
                }
            }
            if (memorySize == 0) {
                if (old == null) {
                    return Errno.EINVAL.negative();
                }
                publish(next);
                if (world.kernel().get(KvmFeatures.MEMSLOT_SRCU_SYNC)) {
                    srcu.synchronizeSrcu();
                }
                sched.point(old, Access.WRITE, "kvm_free_memslot");
                freedMemslots.add(old);
                return 0;
            }
            if (old != null) {
                return Errno.EEXIST.negative();
            }
            Memslot m = new Memslot(slot, guestPhysAddr / pageSize, memorySize / pageSize, userspaceAddr);
            for (Memslot o : next) {
                if (m.baseGfn() < o.baseGfn() + o.npages() && o.baseGfn() < m.baseGfn() + m.npages()) {
                    return Errno.EEXIST.negative();
                }
            }
            next.add(m);
            publish(next);
            return 0;
        } finally {
            slotsLock.unlock(world.vm().cpu());
        }
    }

    /** {@code rcu_assign_pointer(kvm->memslots, ...)}. */
    private void publish(List<Memslot> next) {
        sched.point(this, Access.WRITE, "kvm_swap_active_memslots");
        memslots = List.copyOf(next);
    }

    /**
     * Mirrors {@code gfn_to_hva()}: the VMM address of guest frame {@code gfn}, or
     * {@link #KVM_HVA_ERR_BAD} when no slot holds it. Callers hold {@code kvm->srcu}
     * ({@link #srcuReadLock()}): the array read first may lose the slot right after, but the slot
     * stays allocated until this reader leaves. Reading a slot that was freed anyway is reported
     * as a use-after-free.
     */
    public long gfnToHva(long gfn) {
        sched.point(this, Access.READ, "gfn_to_hva kvm_memslots()");
        List<Memslot> slots = memslots;
        for (Memslot m : slots) {
            if (m.contains(gfn)) {
                sched.point(m, Access.READ, "__gfn_to_hva_memslot");
                if (memslotFreed(m)) {
                    sched.report(Violation.useAfterFree(m.toString(), "gfn_to_hva() on " + world.vm().cpu()
                            + " read " + m + " after kvm_free_memslot(): the memslot was deleted without waiting "
                            + "for this kvm->srcu reader"));
                }
                return m.userspaceAddr() + ((gfn - m.baseGfn()) << world.mem().pageShift());
            }
        }
        return KVM_HVA_ERR_BAD;
    }

    /** Whether {@code kvm_free_memslot()} has freed {@code slot}. */
    public boolean memslotFreed(Memslot slot) {
        return freedMemslots.contains(slot);
    }

    /** {@code srcu_read_lock(&kvm->srcu)} on the calling CPU. */
    public void srcuReadLock() {
        srcu.srcuReadLock(world.vm().cpu());
    }

    /** {@code srcu_read_unlock(&kvm->srcu)} on the calling CPU. */
    public void srcuReadUnlock() {
        srcu.srcuReadUnlock(world.vm().cpu());
    }

    @Override
    public String toString() {
        return "kvm" + id;
    }
}
