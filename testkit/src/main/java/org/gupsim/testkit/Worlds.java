package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.mm.MemConfig;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;

/**
 * Small machines for one test or one try each, and the check that they tear down clean. A
 * {@link World} is cheap to boot, so a property boots a fresh one per try (jqwik runs outside
 * JUnit Jupiter's extension model; plain static helpers serve both engines).
 *
 * <pre>{@code
 * World w = Worlds.boot("arm64:16k", KernelVersion.LATEST, 64L << 20);
 * ... pin, unpin ...
 * Worlds.assertTearsDownClean(w);
 * }</pre>
 */
public final class Worlds {
    private static final ArchRegistry ARCHES = ArchRegistry.load();
    /** CPUs of the machines {@link #boot} makes: two, so a second CPU exists to shoot down. */
    public static final int CPUS = 2;

    private Worlds() {
    }

    /** The architectures on the class path (loaded once). */
    public static ArchRegistry registry() {
        return ARCHES;
    }

    /**
     * The variant {@code spec} ({@code arch[:variant]}, e.g. {@code ppc64:radix-4k+ipi}) on {@code kernel}.
     *
     * @throws IllegalArgumentException naming the bad part and the allowed values
     */
    public static ArchVariant variant(String spec, Kernel kernel) {
        return ARCHES.parse(spec, kernel);
    }

    /**
     * The latest kernel that has {@code variant} ({@link ArchVariant#unavailableOn}): the latest
     * release preset that has it, else the latest preset with one patch of the catalogue that
     * brings it (a posted series, such as Intel RAR for {@code x86_64:rar}).
     *
     * @throws IllegalArgumentException if no preset has it, with or without one patch
     */
    public static Kernel latestKernelOf(ArchVariant variant) {
        Validate.isTrue(variant != null, "variant must not be null");
        KernelVersion[] ks = KernelVersion.values();
        for (int i = ks.length - 1; i >= 0; i--) {
            if (variant.unavailableOn(ks[i]).isEmpty()) {
                return ks[i];
            }
        }
        for (int i = ks.length - 1; i >= 0; i--) {
            for (Patch p : KernelCatalogue.get().patches()) {
                if (p.whyNotApplicable(ks[i]).isEmpty() && variant.unavailableOn(ks[i].with(p)).isEmpty()) {
                    return ks[i].with(p);
                }
            }
        }
        throw new IllegalArgumentException("variant " + variant + " exists on no kernel the model knows, "
                + "even with one patch");
    }

    /** {@link #latestKernelOf(ArchVariant)} of the variant named {@code spec}. */
    public static Kernel latestKernelOf(String spec) {
        return latestKernelOf(ARCHES.resolve(spec, KernelVersion.LATEST));
    }

    /** A machine of {@code bytes} of memory in the variant's base pages, with {@link #CPUS} CPUs. */
    public static World boot(ArchVariant variant, Kernel kernel, long bytes) {
        Validate.isTrue(variant != null, "variant must not be null");
        Validate.isTrue(bytes > 0, "bytes must be positive, was %d", bytes);
        return World.boot(variant, kernel, MemConfig.ofBytes(variant.pageShift(), bytes), CPUS);
    }

    /** {@link #boot(ArchVariant, Kernel, long)} of the variant named {@code spec}. */
    public static World boot(String spec, Kernel kernel, long bytes) {
        return boot(variant(spec, kernel), kernel, bytes);
    }

    /**
     * Checks the pin and reference accounting of every live address space
     * ({@link World#checkAccounting()}), then tears the world down ({@link World#teardown()}:
     * every task exits, RCU callbacks run) and checks nothing is left allocated or pinned.
     * Files must have been closed and unlinked first. Fails the test with the violations found.
     */
    public static void assertTearsDownClean(World w) {
        Validate.isTrue(w != null, "w must not be null");
        assertNoViolations(w.checkAccounting(), "accounting before teardown");
        assertNoViolations(w.teardown(), "teardown");
    }

    /** Fails the test, saying {@code what} and listing them, if there are violations. */
    public static void assertNoViolations(List<Violation> violations, String what) {
        if (!violations.isEmpty()) {
            fail(what + ": " + violations.size() + " violation(s): " + violations);
        }
    }
}
