package org.gupsim.arch.powerpc;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.arch.ComposedVariant;
import org.gupsim.arch.VariantSpec;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.ShootdownPromise;

/**
 * powerpc book3s64 (64-bit Power, POWER8 and later), registered with
 * {@link java.util.ServiceLoader}. Variants are a base from {@link PpcBaseVariant} followed by
 * options from {@link PpcOption}, e.g. {@code radix-64k+ipi}.
 */
public final class Ppc64 implements Architecture {
    /** The name users type. */
    public static final String NAME = "ppc64";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "powerpc book3s64: radix (64K or 4K pages) or hash MMU (64K pages), tlbie broadcast "
                + "or IPI multicast, tables freed through RCU";
    }

    /** {@code radix-64k}, {@code radix-4k}, {@code hash-64k}. */
    @Override
    public List<String> variants() {
        return PpcBaseVariant.labels();
    }

    @Override
    public List<String> options() {
        return PpcOption.labels();
    }

    @Override
    public String optionDescription(String option) {
        return PpcOption.describe(option);
    }

    /** {@code radix-64k} for every kernel: the radix MMU with 64K pages, as distributions ship it. */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return PpcBaseVariant.RADIX_64K.label();
    }

    /**
     * Parses {@code base[+option...]}.
     *
     * @throws IllegalArgumentException for an unknown base or option, an empty spec or part, a repeated
     *                                  option, or {@code ipi} on hash, naming the allowed values
     */
    @Override
    public ArchVariant variant(String spec, Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        String s = spec == null ? defaultVariant(kernel) : spec;
        VariantSpec v = VariantSpec.parse(s, variants(), options());
        PpcBaseVariant base = PpcBaseVariant.byLabel(v.base());
        Set<PpcOption> options = EnumSet.noneOf(PpcOption.class);
        for (String o : v.options()) {
            options.add(PpcOption.byLabel(o));
        }
        return new PpcVariant(this, base, options);
    }

    /**
     * The hash MMU caches translations from the hashed page table, whose entries the kernel
     * removes with {@code tlbie}, a broadcast: a flush backend that promises anything else (an IPI,
     * a targeted flush) has nothing to act on there, as {@code +ipi} is refused on hash.
     */
    @Override
    public Optional<String> refuses(ComposedVariant composed) {
        if (composed.pageTables() instanceof PpcVariant p && !p.base().radix()
                && composed.shootdown().reach() != ShootdownPromise.Reach.ALL_CPUS) {
            return Optional.of("the hash MMU (" + p.base().label() + ") removes hashed entries with tlbie, a broadcast; "
                    + composed.shootdown().name() + " reaches " + composed.shootdown().reach().text());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** IBM Power, not multi-copy-atomic (Alglave et al. 2014; herd7 ppc.cat). */
    @Override
    public String memoryModel() {
        return "power";
    }
}
