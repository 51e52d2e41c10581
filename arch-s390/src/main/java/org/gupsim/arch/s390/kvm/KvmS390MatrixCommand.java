package org.gupsim.arch.s390.kvm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.Subcommand;
import org.gupsim.callers.PinOutcome;
import org.gupsim.gup.KernelVersion;
import org.gupsim.report.Json;
import org.gupsim.sched.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gupsim kvm-s390-matrix}: for every QEMU guest-memory setup (backend × share × mem-path
 * filesystem, and memfd's hugetlb option), whether KVM s390 adapter-interrupt forwarding can be
 * enabled for a passed-through device, and whether VFIO can pin guest RAM for its DMA. The s390
 * module adds it to the command line through the {@link Subcommand} SPI, as any jar can.
 */
@Command(name = "kvm-s390-matrix", sortOptions = false,
        customSynopsis = {"gupsim kvm-s390-matrix [--kernel K] [--json|--markdown]"},
        description = {
            "For every QEMU guest-memory setup on s390, one row: the result of enabling adapter-interrupt "
                    + "forwarding for a vfio-pci zPCI device (KVM_S390_ZPCI_OP REG_AEN: two "
                    + "pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of guest pages) and of VFIO pinning a guest "
                    + "page for DMA (vfio_pin_pages_remote: pin_user_pages_remote(FOLL_WRITE|FOLL_LONGTERM)).",
            "",
            "Each row boots a fresh s390 machine (the kernel's default variant), QEMU with that guest memory "
                    + "(written by the guest), the VM and the device; maps the DMA page, enables forwarding, disables "
                    + "it, unmaps, and checks that nothing stays pinned or accounted.",
            ""},
        footer = {"",
            "Rows: memory-backend-ram share=off|on; memory-backend-memfd share=off|on x hugetlb=off|on; "
                    + "memory-backend-file share=off|on x mem-path on ext4, xfs, btrfs, tmpfs, hugetlbfs. "
                    + "libvirt's <source type=\"file\"/> is memory-backend-file share=off; with <access mode=\"shared\"/> "
                    + "share=on.",
            "AIF column: 0, an errno with the failed step (aibv-pin: the interrupt bit vector page), or "
                    + "'0 (not registered: STEP)' for the silent failure of the pci.c before 7.2. VFIO column: pinned "
                    + "or the errno. Before 7.2 a failed enable also keeps its gisc reference, listed under why.",
            "JSON fields: kernel, arch, variant, pciCode, rows (backend, share, fs, hugetlb, qemu, aif: rc, errno, "
                    + "step, reason; vfio: ret, errno, reason; problems). Exit codes: 0 ran, 1 something was left "
                    + "pinned or accounted, 2 bad input."})
public final class KvmS390MatrixCommand implements Subcommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--kernel", paramLabel = "VER", defaultValue = "latest",
            completionCandidates = KernelNames.class,
            description = "Kernel version: its GUP rules and its KVM pci.c, with the 2026 fixes from 7.2 on "
                    + "(default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}.")
    String kernel;

    @Option(names = "--json", description = "Print one JSON object instead of a text table.")
    boolean json;

    @Option(names = "--markdown", description = "Print a Markdown table.")
    boolean markdown;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        if (json && markdown) {
            throw new ParameterException(spec.commandLine(),
                    "--json and --markdown exclude each other (allowed: one of them, or neither)");
        }
        KernelVersion k = parseKernel();
        List<KvmS390Matrix.Row> rows = KvmS390Matrix.run(k);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(k, rows));
        } else if (markdown) {
            out.print(toMarkdown(k, rows));
        } else {
            out.print(toText(k, rows));
        }
        out.flush();
        return rows.stream().allMatch(r -> r.problems().isEmpty()) ? EXIT_OK : EXIT_FAILURE;
    }

    private KernelVersion parseKernel() {
        try {
            return KernelVersion.parse(kernel);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--kernel " + kernel + " is not known (allowed: "
                    + String.join(", ", KernelVersion.labels()) + ")");
        }
    }

    /** {@code ... on s390:default, kernel latest (7.2), kvm pci.c with the 2026 fixes}. */
    static String header(KernelVersion k) {
        return "KVM s390 AIF and VFIO pinning by guest memory on " + ArchRegistry.load().parse("s390", k).fullName()
                + ", kernel " + k.label() + " (" + k.release() + "), kvm pci.c "
                + (AifCode.of(k).fixed() ? "with" : "before") + " the 2026 fixes";
    }

    private static List<String[]> cells(List<KvmS390Matrix.Row> rows) {
        List<String[]> out = new ArrayList<>();
        for (KvmS390Matrix.Row r : rows) {
            out.add(new String[] {r.backend(), r.share(), r.fs(), r.hugetlb(), r.aifSummary(), r.vfioSummary(),
                why(r)});
        }
        return out;
    }

    private static final String[] HEADS = {"backend", "share", "fs", "hugetlb", "AIF enable", "VFIO pin", "why"};

    /** GUP's reason for a failing row (the same for both callers where both fail), else empty. */
    static String why(KvmS390Matrix.Row r) {
        List<String> parts = new ArrayList<>();
        AifResult a = r.aif();
        if (!a.ok() && a.gup() != null && a.gup().reason() != null) {
            parts.add(a.gup().reason());
        } else if (!a.ok()) {
            parts.add(a.reason());
        }
        PinOutcome v = r.vfio();
        if (!v.ok() && v.reason() != null && !parts.contains(v.reason())) {
            parts.add(v.reason());
        }
        for (Violation p : r.problems()) {
            parts.add(p.toString());
        }
        return String.join("; ", parts);
    }

    static String toText(KernelVersion k, List<KvmS390Matrix.Row> rows) {
        List<String[]> cells = cells(rows);
        int[] w = new int[HEADS.length];
        for (int i = 0; i < HEADS.length; i++) {
            w[i] = HEADS[i].length();
            for (String[] c : cells) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder(header(k)).append("\n\n");
        line(sb, HEADS, w);
        String[] dashes = new String[HEADS.length];
        for (int i = 0; i < HEADS.length; i++) {
            dashes[i] = "-".repeat(w[i]);
        }
        line(sb, dashes, w);
        for (String[] c : cells) {
            line(sb, c, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            l.append(i == c.length - 1 ? c[i] : String.format(Locale.ROOT, "%-" + w[i] + "s  ", c[i]));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    static String toMarkdown(KernelVersion k, List<KvmS390Matrix.Row> rows) {
        StringBuilder sb = new StringBuilder(header(k)).append("\n\n");
        sb.append("| ").append(String.join(" | ", HEADS)).append(" |\n");
        sb.append("|").append("---|".repeat(HEADS.length)).append('\n');
        for (String[] c : cells(rows)) {
            List<String> esc = new ArrayList<>();
            for (String s : c) {
                esc.add(s.replace("|", "\\|"));
            }
            sb.append("| ").append(String.join(" | ", esc)).append(" |\n");
        }
        return sb.toString();
    }

    static String toJson(KernelVersion k, List<KvmS390Matrix.Row> rows) {
        var arch = ArchRegistry.load().parse("s390", k);
        ObjectNode json = Json.object().put("kernel", k.label()).put("arch", arch.architecture().name())
                .put("variant", arch.name()).put("pciCode", AifCode.of(k).name());
        ArrayNode rs = json.putArray("rows");
        for (KvmS390Matrix.Row r : rows) {
            AifResult a = r.aif();
            PinOutcome v = r.vfio();
            ObjectNode ro = rs.addObject().put("backend", r.backend()).put("share", r.share()).put("fs", r.fs())
                    .put("hugetlb", r.hugetlb()).put("qemu", r.spec().qemuOption());
            ro.putObject("aif").put("rc", a.rc()).put("errno", a.errno() == null ? null : a.errno().name())
                    .put("step", a.failed() == null ? null : a.failed().label()).put("reason", a.reason());
            ro.putObject("vfio").put("ret", v.ret()).put("errno", v.errno() == null ? null : v.errno().name())
                    .put("reason", v.reason());
            ro.set("problems", Json.strings(r.problems().stream().map(Violation::toString).toList()));
        }
        return Json.line(json);
    }

    /** For picocli's help and error messages. */
    static final class KernelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return KernelVersion.labels().iterator();
        }
    }
}
