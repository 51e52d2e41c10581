package org.gupsim.testkit;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.Architecture;
import org.gupsim.gup.Foll;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Backing;
import org.gupsim.vm.VmArch;

/**
 * jqwik arbitraries for the values a gupsim property ranges over: architecture variants (found
 * at run time with {@link Worlds#registry()}), kernel versions, mappings whose page sizes the
 * variant really has, and GUP calls. All of them shrink towards the first value listed.
 *
 * <pre>{@code
 * @Provide
 * Arbitrary<GupCall> calls() {
 *     return GupArbitraries.calls();
 * }
 * }</pre>
 */
public final class GupArbitraries {

    private GupArbitraries() {
    }

    /**
     * Every variant spec ({@code arch:base[+option...]}) of {@code arch} that every kernel version
     * accepts, in listing order: each base variant alone, then with each combination of options.
     * Variants that some kernels lack (arm64's 52-bit builds before 6.9) are left out: see
     * {@link #variantSpecs(String, KernelVersion)}.
     *
     * @throws IllegalArgumentException if no architecture of that name is on the class path
     */
    public static List<String> variantSpecs(String arch) {
        return specs(arch, List.of(KernelVersion.values()));
    }

    /**
     * Every variant spec of {@code arch} that some kernel has (with one patch if need be), in
     * listing order; boot each on {@link Worlds#latestKernelOf(String)}.
     *
     * @throws IllegalArgumentException if no architecture of that name is on the class path
     */
    public static List<String> everyVariantSpec(String arch) {
        return specs(arch, null);
    }

    /**
     * Every variant spec of {@code arch} that exists on {@code kernel}, in listing order.
     *
     * @throws IllegalArgumentException if no architecture of that name is on the class path
     */
    public static List<String> variantSpecs(String arch, KernelVersion kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return specs(arch, List.of(kernel));
    }

    private static List<String> specs(String arch, List<KernelVersion> kernels) {
        Architecture a = Worlds.registry().get(arch);
        List<String> out = new ArrayList<>();
        List<String> options = a.options();
        for (String base : a.variants()) {
            for (int set = 0; set < 1 << options.size(); set++) {
                StringBuilder spec = new StringBuilder(a.name()).append(':').append(base);
                for (int i = 0; i < options.size(); i++) {
                    if ((set & 1 << i) != 0) {
                        spec.append('+').append(options.get(i));
                    }
                }
                if (kernels == null ? onSomeKernel(spec.toString()) : acceptedByEach(spec.toString(), kernels)) {
                    out.add(spec.toString());
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean onSomeKernel(String spec) {
        try {
            Worlds.latestKernelOf(spec);
            return true;
        } catch (IllegalArgumentException none) {
            return false;
        }
    }

    private static boolean acceptedByEach(String spec, List<KernelVersion> kernels) {
        for (KernelVersion k : kernels) {
            try {
                Worlds.registry().parse(spec, k);
            } catch (IllegalArgumentException refused) {
                return false;
            }
        }
        return true;
    }

    /** The variant specs of {@code arch}: see {@link #variantSpecs}. */
    public static Arbitrary<String> variants(String arch) {
        return Arbitraries.of(variantSpecs(arch));
    }

    /**
     * The variant specs of every architecture on the class path, architectures in name order.
     *
     * @throws IllegalArgumentException if there is none (no arch module on the class path)
     */
    public static Arbitrary<String> variants() {
        List<String> all = new ArrayList<>();
        for (String arch : Worlds.registry().names()) {
            all.addAll(variantSpecs(arch));
        }
        Validate.isTrue(!all.isEmpty(), "class path must hold an arch module (gupsim-arch-*): none registered");
        return Arbitraries.of(all);
    }

    /**
     * The variant specs of every architecture on the class path that exist on {@code kernel},
     * architectures in name order: draw a kernel first, then a variant it has (x86's {@code native}
     * is before 6.15, {@code native-rcu} from 6.15; s390's {@code fragments} before 6.7).
     *
     * @throws IllegalArgumentException if there is none (no arch module on the class path)
     */
    public static Arbitrary<String> variants(KernelVersion kernel) {
        List<String> all = new ArrayList<>();
        for (String arch : Worlds.registry().names()) {
            all.addAll(variantSpecs(arch, kernel));
        }
        Validate.isTrue(!all.isEmpty(), "class path must hold an arch module (gupsim-arch-*): none registered");
        return Arbitraries.of(all);
    }

    /** Every kernel version, the posted v6/v7 patches included. */
    public static Arbitrary<KernelVersion> kernels() {
        return Arbitraries.of(KernelVersion.class);
    }

    /** The released kernel versions: every one but the v6 and v7 postings of the long-term write-pin series. */
    public static Arbitrary<KernelVersion> releasedKernels() {
        return kernels().filter(k -> k != KernelVersion.V6_PATCH && k != KernelVersion.V7_PATCH);
    }

    /**
     * GUP calls: a get or a pin with any subset of {@code FOLL_WRITE}, {@code FOLL_LONGTERM} and
     * {@code FOLL_FORCE} (a get drops {@code FOLL_LONGTERM}: only pins may be long-term).
     */
    public static Arbitrary<GupCall> calls() {
        return Combinators.combine(Arbitraries.of(GupCall.Kind.class),
                        Arbitraries.subsetOf(Foll.WRITE, Foll.LONGTERM, Foll.FORCE))
                .as((kind, fs) -> {
                    EnumSet<Foll> flags = EnumSet.noneOf(Foll.class);
                    flags.addAll(fs);
                    if (kind == GupCall.Kind.GET) {
                        flags.remove(Foll.LONGTERM);
                    }
                    return new GupCall(kind, flags);
                });
    }

    /**
     * Mappings that {@code arch} can have: every backing, private and shared, in each page size
     * the backing has there ({@link Backing#pageShifts}: the variant's hugetlb sizes, a THP of the
     * PMD size for private anonymous memory where PMD leaves exist, else base pages), huge pages
     * no bigger than {@code maxHugePageSize}; every {@link Touch} and {@link Prot}. Base-page
     * mappings span {@code smallPages} pages. Private secretmem is among them: mmap refuses it.
     */
    public static Arbitrary<Mapping> mappings(VmArch arch, int smallPages, long maxHugePageSize) {
        return Combinators.combine(Arbitraries.of(Mapping.shapes(arch, smallPages, maxHugePageSize)),
                Arbitraries.of(Touch.class), Arbitraries.of(Prot.class)).as(Mapping::with);
    }

    /**
     * Setups on {@code arch}: a kernel from {@code kernels}, a variant of {@code arch} that kernel
     * has, a mapping of that variant ({@link #mappings}, huge pages up to the largest that is not
     * giant, {@link Mapping#largestNonGiant}), and a placement from {@code placements}. Variants are
     * drawn before shapes, so every try is one that exists.
     *
     * @param smallPages base pages of a base-page mapping
     */
    public static Arbitrary<GupSetup> setups(String arch, Arbitrary<KernelVersion> kernels, int smallPages,
                                             List<? extends Placement> placements) {
        Validate.isTrue(kernels != null, "kernels must not be null");
        Validate.isTrue(placements != null && !placements.isEmpty(), "placements must not be empty");
        return kernels.flatMap(k -> Arbitraries.of(variantSpecs(arch, k))
                .flatMap(spec -> setupsOf(spec, k, smallPages, placements)));
    }

    /**
     * {@link #setups}, each variant of {@code arch} that some release has ({@link #everyVariantSpec})
     * on the latest release that has it ({@link Worlds#latestKernelOf(String)}): s390's
     * {@code fragments} on the last kernel before 6.7, the others on the latest. A variant that
     * only a patched kernel has (x86's {@code rar}) is left out.
     */
    public static Arbitrary<GupSetup> setupsOnTheirLatestKernels(String arch, int smallPages,
                                                                 List<? extends Placement> placements) {
        Validate.isTrue(placements != null && !placements.isEmpty(), "placements must not be empty");
        List<String> released = everyVariantSpec(arch).stream()
                .filter(spec -> Worlds.latestKernelOf(spec) instanceof KernelVersion).toList();
        return Arbitraries.of(released).flatMap(spec ->
                setupsOf(spec, (KernelVersion) Worlds.latestKernelOf(spec), smallPages, placements));
    }

    private static Arbitrary<GupSetup> setupsOf(String spec, KernelVersion k, int smallPages,
                                                List<? extends Placement> placements) {
        VmArch v = Worlds.variant(spec, k);
        return Combinators.combine(mappings(v, smallPages, Mapping.largestNonGiant(v.pageShift())),
                Arbitraries.of(List.copyOf(placements))).as((m, p) -> new GupSetup(spec, k, m, p));
    }
}
