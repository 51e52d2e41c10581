package org.gupsim.cli;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.VariantUnavailableException;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that choose the simulated machine, shared by every command that boots one:
 * {@code --arch ARCH[:VARIANT]}, {@code --kernel VER} and {@code --patch P[+P...]} (or
 * {@code --mutant}). Mixed into a command with {@code @Mixin}; {@link #resolve()} turns them into
 * values or a {@link UsageException}.
 */
public final class MachineOptions {

    /**
     * A resolved machine choice.
     *
     * @param arch   the variant, as it exists on {@code kernel}
     * @param kernel the kernel: the {@code --kernel} preset with the {@code --patch}es
     */
    public record Machine(ArchVariant arch, Kernel kernel) {
    }

    /** The architecture used when {@code --arch} is not given. */
    public static final String DEFAULT_ARCH = "x86_64";

    /** Null when not given: {@link #resolve()} then uses {@link #DEFAULT_ARCH}. */
    @Option(names = "--arch", paramLabel = "ARCH[:VARIANT]",
            description = "Architecture and optional variant (default: x86_64, with the kernel's default variant; "
                    + "explore and replay pick the first architecture a scenario can run on when it cannot run "
                    + "on x86_64, e.g. s390 for kvm-s390-*). Known values are listed at the end of this help.")
    String arch;

    @Option(names = "--kernel", paramLabel = "VER", defaultValue = "latest",
            description = "Kernel version whose GUP rules apply (default: ${DEFAULT-VALUE}). "
                    + "Known values are listed at the end of this help.")
    String kernel;

    @Option(names = {"--patch", "--mutant"}, paramLabel = "P[+P...]", completionCandidates = PatchArgs.Names.class,
            description = "Apply a patch to the kernel (repeatable; several joined by +; --mutant is the same): "
                    + "${COMPLETION-CANDIDATES}. gupsim list says what each changes.")
    List<String> patches = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Parses the options.
     *
     * @throws UsageException naming the flag and the allowed values
     */
    public Machine resolve() {
        return resolve(arch != null ? arch : DEFAULT_ARCH);
    }

    /** Whether {@code --arch} was given. */
    public boolean archGiven() {
        return arch != null;
    }

    /**
     * The kernel version a {@code --kernel} value names.
     *
     * @throws UsageException naming the flag and the allowed values
     */
    static KernelVersion parseKernel(String label) {
        try {
            return KernelVersion.parse(label);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kernel " + label + " is not known (allowed: "
                    + String.join(", ", KernelVersion.labels()) + ")");
        }
    }

    /**
     * Parses {@code --kernel} with {@code archSpec} in place of {@code --arch}.
     *
     * @throws UsageException naming the flag and the allowed values
     */
    public Machine resolve(String archSpec) {
        String arch = archSpec;
        Kernel k = parseKernel(kernel);
        for (String p : patches) {
            String flag = PatchArgs.flagOf(command, p);
            k = PatchArgs.apply(flag, k, PatchArgs.parse(flag, p, false));
        }
        ArchRegistry registry = ArchRegistry.load();
        int colon = arch.indexOf(':');
        String name = colon < 0 ? arch : arch.substring(0, colon);
        if (!registry.names().contains(name)) {
            throw new UsageException("--arch " + name + " is not known (allowed: "
                    + String.join(", ", registry.names()) + ")");
        }
        try {
            return new Machine(registry.parse(arch, k), k);
        } catch (VariantUnavailableException e) {
            throw unavailable(e);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--arch: " + e.getMessage());
        }
    }

    /** The usage error for a variant that {@code --kernel} did not have yet, naming both flags and why. */
    static UsageException unavailable(VariantUnavailableException e) {
        return new UsageException("--arch " + e.variant() + " is not available with --kernel " + e.kernel().label()
                + ": " + e.reason());
    }

    /** Help lines listing the architectures, their variants and the kernel versions. */
    public static List<String> helpFooter() {
        List<String> lines = new ArrayList<>();
        lines.add("Architectures (--arch ARCH[:VARIANT[+OPTION...]]):");
        ArchRegistry registry = ArchRegistry.load();
        for (Architecture a : registry.architectures()) {
            lines.add("  " + a.name() + ": variants " + String.join(", ", registry.variants(a))
                    + (a.options().isEmpty() ? "" : "; options " + String.join(", ", a.options())));
            lines.add("    default variant: " + defaultsByKernel(a));
        }
        lines.add("Kernels (--kernel VER): " + String.join(", ", KernelVersion.labels()));
        return lines;
    }

    /** {@code native for 6.4..6.10, native-rcu for 6.15..latest}: the default variant over runs of kernels. */
    private static String defaultsByKernel(Architecture a) {
        List<String> parts = new ArrayList<>();
        KernelVersion[] ks = KernelVersion.values();
        int runStart = 0;
        for (int i = 1; i <= ks.length; i++) {
            String v = a.defaultVariant(ks[runStart]);
            if (i == ks.length || !a.defaultVariant(ks[i]).equals(v)) {
                String range = i - 1 == runStart ? ks[runStart].label() : ks[runStart].label() + ".." + ks[i - 1].label();
                parts.add(v + " for " + range);
                runStart = i;
            }
        }
        return String.join(", ", parts);
    }
}
