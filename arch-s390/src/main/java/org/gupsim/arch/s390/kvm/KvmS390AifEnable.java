package org.gupsim.arch.s390.kvm;

import java.util.List;
import java.util.Map;
import org.gupsim.callers.PinOutcome;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;

/**
 * One CPU, no race: QEMU starts a guest with the chosen guest memory and {@code devices}
 * passed-through zPCI functions, VFIO maps one guest page for DMA, the guest registers adapter
 * interrupts for each device in turn ({@code KVM_S390_ZPCI_OP} REG_AEN; with {@code reenable=on}
 * the last one twice), the last device raises an interruption, then the guest deregisters them
 * and VFIO unmaps. The host kernel's faults can be chosen: {@code fail=airq-iv-create} makes the
 * last enable's vector allocation fail, {@code fail=reg-int} has the last function vanish before
 * its enable (MPCIFC REG_INT answers cc 3). The outcome is the last AIF result (0 or the errno,
 * with the failed step and GUP's reason), where the kernel put the device's alerts (the GISA with
 * the assist, the host without) and where the firmware delivered, the accounting after enable,
 * the disable result and the VFIO result; the release checks that disable and unmap left no pin,
 * no accounted page, no AIFT entry and no gisc reference behind.
 */
public final class KvmS390AifEnable extends KvmS390Scenario {
    public static final String NAME = "kvm-s390-aif-enable";

    /** The most devices a guest here passes through: their AIBVs share one guest page, 8 bytes each. */
    static final int MAX_DEVICES = 256;
    /** {@code CONFIG_PCI_NR_FUNCTIONS}' range (arch/s390/Kconfig). */
    static final int MAX_NR_DEVICES = 4096;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "QEMU s390 guest with vfio-pci zPCI devices: VFIO maps a guest page, the guest enables adapter-interrupt "
                + "forwarding (two pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) each), a device interrupts, the guest "
                + "disables forwarding";
    }

    @Override
    public List<ScenarioParam> params() {
        return withMemoryParams(QemuMemoryBackend.RAM,
                new ScenarioParam("assist", "on", List.of("on", "off"),
                        "GISA assist (off: REG_AEN with KVM_S390_ZPCIOP_REGAEN_HOST, the host takes every alert)"),
                new ScenarioParam("summary-bit", "on", List.of("on", "off"),
                        "the guest uses a summary bit, so its AISB page is pinned too"),
                ScenarioParam.freeForm("memlock-limit", "8m", List.of("0", "4k", "8m", "unlimited"),
                        "QEMU's RLIMIT_MEMLOCK", "BYTES[K|M|G]|unlimited", v -> memlockBytes(v) != null),
                ScenarioParam.freeForm("devices", "1", List.of("1", "2", "33"),
                        "zPCI functions the guest passes through and enables forwarding for, one after another",
                        "1.." + MAX_DEVICES, v -> count(v, MAX_DEVICES) != null),
                ScenarioParam.freeForm("zpci-nr-devices", "512", List.of("1", "512", "4096"),
                        "the host's CONFIG_PCI_NR_FUNCTIONS: summary bits, so devices forwarding at once",
                        "1.." + MAX_NR_DEVICES, v -> count(v, MAX_NR_DEVICES) != null),
                new ScenarioParam("fail", "none", List.of("none", "airq-iv-create", "reg-int"),
                        "fault of the last enable: its airq_iv_create() returns NULL, or its function vanished (REG_INT cc 3)"),
                new ScenarioParam("reenable", "off", List.of("off", "on"),
                        "the guest registers the last device's interrupts a second time before deregistering"));
    }

    @Override
    public int cpus() {
        return 1;
    }

    /**
     * RLIMIT_MEMLOCK as the parameter gives it: bytes with an optional K, M or G suffix (either
     * case, powers of 1024; ASCII digits, up to {@code Long.MAX_VALUE} bytes), or {@code unlimited}
     * (RLIM_INFINITY, {@code Long.MAX_VALUE} here).
     *
     * @return the bytes, or null if {@code v} is no such size or overflows
     */
    static Long memlockBytes(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        int shift = switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
        return n > Long.MAX_VALUE >> shift ? null : n << shift;
    }

    /** {@code v} as a number in {@code 1..max}, or null. */
    static Integer count(String v, int max) {
        if (v == null || v.isEmpty() || v.length() > 5 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int n = Integer.parseInt(v);
        return n >= 1 && n <= max ? n : null;
    }

    @Override
    public Programs setUp(World world, Map<String, String> params) {
        checkArch(world.arch());
        int devices = count(params.get("devices"), MAX_DEVICES);
        KvmS390Pci pci = new KvmS390Pci(world, AifCode.of(world.kernel()),
                count(params.get("zpci-nr-devices"), MAX_NR_DEVICES), true);
        S390Guest g = S390Guest.boot(world, pci, memory(params), memlockBytes(params.get("memlock-limit")), 0,
                S390Guest.FIRST_FH, true);
        for (int i = 1; i < devices; i++) {
            g.plugDevice();
        }
        boolean summaryBit = params.get("summary-bit").equals("on");
        boolean assist = params.get("assist").equals("on");
        String fail = params.get("fail");
        boolean reenable = params.get("reenable").equals("on");
        return new Programs() {
            private String outcome = "not run";

            @Override
            public void run(int cpu) {
                PinOutcome vfio = g.vfioMapDma();
                int last = devices - 1;
                AifResult earlier = null;
                for (int i = 0; i < last; i++) {
                    AifResult r = g.regAen(i, summaryBit, assist);
                    earlier = earlier == null && !r.ok() ? r : earlier;
                }
                if (fail.equals("airq-iv-create")) {
                    pci.injectAirqIvCreateFailure();
                } else if (fail.equals("reg-int")) {
                    g.device(last).setFunctionGone(true);
                }
                AifResult aif = g.regAen(last, summaryBit, assist);
                StringBuilder sb = new StringBuilder("aif=").append(aif);
                if (earlier != null) {
                    sb.append(" earlier=").append(earlier);
                }
                if (reenable) {
                    sb.append(" again=").append(g.regAen(last, summaryBit, assist));
                }
                ZpciDev dev = g.device(last);
                if (aif.ok()) {
                    Gaite gaite = pci.aift().gaiteOf(dev.aisb(), pci.code());
                    sb.append(" alerts=").append(gaite.gisa() != 0 ? "gisa" : "host")
                            .append(" irq=").append(pci.deliverAdapterInterruption(dev));
                }
                sb.append(' ').append(g.accounting());
                AifResult off = null;
                for (int i = last; i >= 0; i--) {
                    AifResult r = g.deregAen(i);
                    off = off == null && !r.ok() ? r : off;
                }
                g.vfioUnmapDma();
                outcome = sb.append("; disable=").append(off == null ? "0" : off).append("; vfio=")
                        .append(vfio.ok() ? "pinned" : vfio.errno() + " (" + vfio.reason() + ")").toString();
            }

            @Override
            public String outcome() {
                return outcome;
            }

            @Override
            public List<Violation> release() {
                return restoredThenShutDown(g);
            }
        };
    }
}
