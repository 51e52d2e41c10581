package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchVariant;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;

/**
 * What the KVM s390 scenarios share: they run on s390 only, and choose guest memory with the
 * parameters {@code backend}, {@code share}, {@code fs} and {@code hugetlb}, checked together
 * when the parameters are resolved.
 */
abstract class KvmS390Scenario implements Scenario {
    static final String ARCH = "s390";

    /** The guest-memory parameters, with {@code backend} defaulting to {@code defaultBackend}. */
    static List<ScenarioParam> memoryParams(String defaultBackend) {
        List<String> fs = MemPathFs.labels();
        return List.of(
                new ScenarioParam("backend", defaultBackend, GuestMemorySpec.backendNames(),
                        "QEMU guest-memory backend, or libvirt's <source type=\"file\"/> (libvirt-file) with "
                                + "<access mode=\"shared\"/> (libvirt-file-shared)"),
                new ScenarioParam("share", "default", List.of("default", "on", "off"),
                        "QEMU's share= (default: the backend's: ram off, memfd on, file off)"),
                new ScenarioParam("fs", "ext4", fs, "filesystem of mem-path (memory-backend-file only)"),
                new ScenarioParam("hugetlb", "off", List.of("off", "on"), "memory-backend-memfd's hugetlb= (1M pages)"));
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

    /** Also checks that the guest-memory parameters fit together (e.g. hugetlb=on needs memfd). */
    @Override
    public Map<String, String> resolve(Map<String, String> given) {
        Map<String, String> out = Scenario.super.resolve(given);
        memory(out);
        return out;
    }

    /** What the guest sees of an AIF result, for {@link #explain}. */
    static List<String> guestView(String outcome) {
        List<String> out = new ArrayList<>();
        if (outcome.startsWith("aif=0 but")) {
            out.add("guest: REG_AEN reported success, but forwarding was never set up (the pre-2026 pci.c returns 0 "
                    + "here): the device's adapter interrupts never reach the guest and nothing says why");
        } else if (outcome.startsWith("aif=E")) {
            out.add("guest: the VM starts, but the device driver cannot set up its interrupts: mlx5 and ISM give up "
                    + "at probe, nvme retries AEN setup forever (spec §7)");
        } else if (outcome.startsWith("aif=0")) {
            out.add("guest: adapter interrupts of the device are forwarded into the guest (AIF on)");
        }
        if (outcome.contains("vfio=E")) {
            out.add("VFIO: VFIO_IOMMU_MAP_DMA cannot pin guest RAM, so QEMU cannot map it for the device's DMA");
        }
        return out;
    }
}
