package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.callers.PinOutcome;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;

/**
 * One CPU, no race: QEMU starts a guest with the chosen guest memory and a passed-through zPCI
 * device, VFIO maps one guest page for DMA, the guest registers adapter interrupts
 * ({@code KVM_S390_ZPCI_OP} REG_AEN), then deregisters them and VFIO unmaps. The outcome is the
 * AIF result (0 or the errno, with the failed step and GUP's reason), the accounting after
 * enable, the disable result and the VFIO result; the release checks that disable and unmap
 * left no pin, no accounted page and no AIFT entry behind.
 */
public final class KvmS390AifEnable extends KvmS390Scenario {
    public static final String NAME = "kvm-s390-aif-enable";

    /** RLIMIT_MEMLOCK values offered, in bytes ({@code unlimited} is RLIM_INFINITY). */
    static final List<String> MEMLOCK = List.of("0", "4k", "8k", "64k", "8m", "unlimited");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "QEMU s390 guest with a vfio-pci zPCI device: VFIO maps a guest page, the guest enables adapter-interrupt "
                + "forwarding (two pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)), then disables it";
    }

    @Override
    public List<ScenarioParam> params() {
        List<ScenarioParam> out = new ArrayList<>(memoryParams(QemuMemoryBackend.RAM.qemuName()));
        out.add(new ScenarioParam("assist", "on", List.of("on", "off"),
                "GISA assist (off: REG_AEN with KVM_S390_ZPCIOP_REGAEN_HOST)"));
        out.add(new ScenarioParam("summary-bit", "on", List.of("on", "off"),
                "the guest uses a summary bit, so its AISB page is pinned too"));
        out.add(new ScenarioParam("memlock-limit", "8m", MEMLOCK, "QEMU's RLIMIT_MEMLOCK in bytes"));
        return List.copyOf(out);
    }

    @Override
    public int cpus() {
        return 1;
    }

    /** {@code 8m} → 8388608; {@code unlimited} → Long.MAX_VALUE. */
    static long memlockBytes(String v) {
        if (v.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        long unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1;
        return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        checkArch(world.arch());
        S390Guest g = S390Guest.boot(world, memory(params), memlockBytes(params.get("memlock-limit")));
        boolean summaryBit = params.get("summary-bit").equals("on");
        boolean assist = params.get("assist").equals("on");
        return new Programs() {
            private String outcome = "not run";

            @Override
            public void run(int cpu) {
                PinOutcome vfio = g.vfioMapDma();
                AifResult aif = g.regAen(summaryBit, assist);
                String afterEnable = g.accounting();
                AifResult off = g.deregAen();
                g.vfioUnmapDma();
                outcome = "aif=" + aif + " " + afterEnable + "; disable=" + off + "; vfio="
                        + (vfio.ok() ? "pinned" : vfio.errno() + " (" + vfio.reason() + ")");
            }

            @Override
            public String outcome() {
                return outcome;
            }

            @Override
            public List<Violation> release() {
                List<Violation> out = new ArrayList<>(KvmS390Matrix.restored(g));
                g.shutdown();
                return out;
            }
        };
    }

    @Override
    public List<String> explain(String outcome) {
        return guestView(outcome);
    }
}
