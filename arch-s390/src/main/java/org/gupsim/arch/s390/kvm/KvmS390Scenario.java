package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.sched.Violation;

/**
 * What the KVM s390 scenarios share: they run on s390 only, and choose guest memory with the
 * parameters {@code backend}, {@code share}, {@code fs} and {@code hugetlb}, checked together
 * when the parameters are resolved.
 */
abstract class KvmS390Scenario implements Scenario {
    static final String ARCH = "s390";

    /**
     * The guest-memory parameters, then the scenario's {@code own}. {@code backend} defaults to
     * {@code defaultBackend}; {@code share}, {@code fs} and {@code hugetlb} default to
     * {@code default}, which each backend resolves for itself, so that an option given for a
     * backend without it can be told apart.
     */
    static List<ScenarioParam> withMemoryParams(QemuMemoryBackend defaultBackend, ScenarioParam... own) {
        List<ScenarioParam> out = new ArrayList<>(List.of(
                new ScenarioParam("backend", defaultBackend.label(), GuestMemorySpec.backendNames(),
                        "QEMU guest-memory backend, or libvirt's <source type=\"file\"/> (libvirt-file) with "
                                + "<access mode=\"shared\"/> (libvirt-file-shared)"),
                new ScenarioParam("share", GuestMemorySpec.DEFAULT, List.of(GuestMemorySpec.DEFAULT, "on", "off"),
                        "QEMU's share=; 'default' is the backend's: ram off, memfd on, file off"),
                new ScenarioParam("fs", GuestMemorySpec.DEFAULT, GuestMemorySpec.fsNames(),
                        "filesystem of mem-path, file backends only; 'default' is ext4"),
                new ScenarioParam("hugetlb", GuestMemorySpec.DEFAULT, List.of(GuestMemorySpec.DEFAULT, "off", "on"),
                        "memory-backend-memfd's hugetlb= (1M pages), memfd only; 'default' is off")));
        out.addAll(List.of(own));
        return List.copyOf(out);
    }

    /** The guest memory the resolved parameters describe. */
    static GuestMemorySpec memory(Map<String, String> params) {
        return GuestMemorySpec.parse(params.get("backend"), params.get("share"), params.get("fs"), params.get("hugetlb"));
    }

    /** KVM's zPCI interpretation and AIF exist on s390 only. */
    @Override
    public void checkArch(ArchVariant arch) {
        if (!arch.architecture().name().equals(ARCH)) {
            throw new IllegalArgumentException("scenario " + name() + " runs on s390 only (KVM zPCI adapter-interrupt "
                    + "forwarding), not on " + arch.fullName());
        }
    }

    /**
     * Also checks that the guest-memory parameters fit together ({@link GuestMemorySpec#parse}):
     * {@code hugetlb} only for memory-backend-memfd, {@code fs} only for file backends, an
     * explicit {@code share} agreeing with a libvirt alias.
     */
    @Override
    public Map<String, String> resolve(Map<String, String> given) {
        Map<String, String> out = Scenario.super.resolve(given);
        memory(out);
        return out;
    }

    /**
     * The memory parameters as they resolve: {@code share=off (default)} for the backend's
     * default, {@code fs} only for file backends, {@code hugetlb} only for memfd.
     */
    @Override
    public List<String> describeParams(Map<String, String> params) {
        GuestMemorySpec spec = memory(params);
        List<String> out = new ArrayList<>();
        params.forEach((k, v) -> {
            switch (k) {
                case "share" -> out.add("share=" + (spec.share() ? "on" : "off") + defaultNote(v));
                case "fs" -> {
                    if (spec.fs() != null) {
                        out.add("fs=" + spec.fs().label() + defaultNote(v));
                    }
                }
                case "hugetlb" -> {
                    if (spec.backend() == QemuMemoryBackend.MEMFD) {
                        out.add("hugetlb=" + (spec.hugetlb() ? "on" : "off") + defaultNote(v));
                    }
                }
                default -> out.add(k + "=" + v);
            }
        });
        return out;
    }

    private static String defaultNote(String given) {
        return given.equals(GuestMemorySpec.DEFAULT) ? " (default)" : "";
    }

    /**
     * What a guest's pins and charges left behind once the programs ran ({@link KvmS390Matrix#restored}),
     * then the guest shut down: each scenario's {@code release()}.
     */
    static List<Violation> restoredThenShutDown(S390Guest g) {
        List<Violation> out = new ArrayList<>(KvmS390Matrix.restored(g));
        g.shutdown();
        return out;
    }

    /** What the guest sees of the enable: the first row whose key the outcome starts with. */
    private static final List<Map.Entry<String, String>> GUEST_VIEW = List.of(
            Map.entry("aif=0 but", "guest: REG_AEN reported success, but forwarding was never set up (the pci.c "
                    + "before 7.2 returns 0 here): the device's adapter interrupts never reach the guest and nothing "
                    + "says why"),
            Map.entry("aif=E", "guest: the VM starts, but the device driver cannot set up its interrupts: mlx5 and ISM "
                    + "give up at probe, nvme retries AEN setup forever (spec §7)"),
            Map.entry("aif=0", "guest: adapter interrupts of the device are forwarded into the guest (AIF on)"));

    /** What the host sees of the device's alerts: the first row whose key the outcome contains. */
    private static final List<Map.Entry<String, String>> HOST_VIEW = List.of(
            Map.entry(" alerts=host", "host: without the GISA assist the GAIT entry names no GISA, so every "
                    + "interruption of the device alerts the host, and KVM forwards it into the guest's GISA "
                    + "(aen_host_forward())"),
            Map.entry(" alerts=gisa irq=host", "host: the firmware found no GISA in the GAIT entry it reads, because "
                    + "the kernel filled another one (index scaled twice before 7.1): the assist is lost and the host "
                    + "forwards every interruption"));

    /** What the guest and the host see of an AIF result, and what VFIO's failure means. */
    @Override
    public List<String> explain(String outcome) {
        List<String> out = new ArrayList<>();
        firstMatch(GUEST_VIEW, outcome::startsWith).ifPresent(out::add);
        firstMatch(HOST_VIEW, outcome::contains).ifPresent(out::add);
        if (outcome.contains("vfio=E")) {
            out.add("VFIO: VFIO_IOMMU_MAP_DMA cannot pin guest RAM, so QEMU cannot map it for the device's DMA");
        }
        return out;
    }

    /** The text of the first of {@code rows} whose key {@code matches}. */
    private static Optional<String> firstMatch(List<Map.Entry<String, String>> rows, Predicate<String> matches) {
        return rows.stream().filter(r -> matches.test(r.getKey())).map(Map.Entry::getValue).findFirst();
    }
}
