package org.gupsim.arch.s390.kvm;

import java.util.List;
import java.util.Map;
import org.gupsim.mm.Errno;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;

/**
 * CPU0: the guest enables adapter-interrupt forwarding and then disables it (REG_AEN, DEREG_AEN).
 * CPU1: QEMU removes the guest RAM's memslot ({@code KVM_SET_USER_MEMORY_REGION} with size 0,
 * which waits for an SRCU grace period) and then unmaps the memory or truncates its file, as
 * memory unplug does. Whatever the interleaving, the model's checkers must see no use-after-free,
 * and after disable no pin may survive on memory the guest no longer owns and QEMU's
 * {@code locked_vm}/{@code pinned_vm} must be back to zero.
 *
 * <p>Why it holds: {@code gfn_to_hva()} and the pin run in one {@code kvm->srcu} read-side
 * section, and the memslot's removal waits for it before the memory goes; so enable either
 * finds no slot (-EIO, nothing pinned) or pins a page that then outlives its mapping only until
 * disable unpins it. The mutant {@code no-memslot-srcu-sync} takes the wait away: the explorer then
 * finds enable's {@code gfn_to_hva()} reading the memslot after CPU1 freed it.
 */
public final class KvmS390AifVsUnplug extends KvmS390Scenario {
    public static final String NAME = "kvm-s390-aif-vs-unplug";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CPU0 enables then disables adapter-interrupt forwarding (pins guest pages); CPU1 deletes the "
                + "guest RAM's memslot, then munmap()s or truncates the memory";
    }

    @Override
    public List<ScenarioParam> params() {
        return withMemoryParams(QemuMemoryBackend.MEMFD,
                new ScenarioParam("remove", "munmap", List.of("munmap", "truncate"),
                        "how CPU1 takes the memory away after deleting the memslot (truncate: ftruncate(fd, 0), file backends)"),
                new ScenarioParam("summary-bit", "off", List.of("off", "on"),
                        "the guest uses a summary bit, so a second page is pinned"));
    }

    @Override
    public int cpus() {
        return 2;
    }

    @Override
    public Map<String, String> resolve(Map<String, String> given) {
        Map<String, String> out = super.resolve(given);
        if (out.get("remove").equals("truncate") && !memory(out).hasFile()) {
            throw new IllegalArgumentException("param remove=truncate needs a file behind guest RAM; backend "
                    + out.get("backend") + " is anonymous memory (use remove=munmap)");
        }
        return out;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        checkArch(world.arch());
        S390Guest g = S390Guest.boot(world, memory(params), 8L << 20);
        boolean summaryBit = params.get("summary-bit").equals("on");
        boolean truncate = params.get("remove").equals("truncate");
        return new Programs() {
            private String aif = "not run";
            private String removed = "not run";

            @Override
            public void run(int cpu) {
                if (cpu == 0) {
                    AifResult on = g.regAen(summaryBit, true);
                    AifResult off = g.deregAen();
                    aif = "aif=" + (on.ok() ? "0" : on.rc() == 0 ? "0 but " + on.failed().label()
                            : on.errno() + " at " + on.failed().label()) + " disable=" + (off.ok() ? "0" : off.errno());
                } else {
                    int r = g.kvm().kvmSetUserMemoryRegion(0, 0, 0, 0);
                    if (truncate) {
                        Errno e = g.ram().truncate();
                        removed = "memslot=" + r + " truncate=" + (e == null ? "0" : e);
                    } else {
                        long m = g.ram().munmap();
                        removed = "memslot=" + r + " munmap=" + m;
                    }
                }
            }

            @Override
            public String outcome() {
                return aif + " " + removed;
            }

            @Override
            public List<Violation> release() {
                return restoredThenShutDown(g);
            }
        };
    }
}
