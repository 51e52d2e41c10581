package org.gupsim.arch.powerpc;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.AbstractArchitecture;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.ComposedVariant;
import org.gupsim.arch.VariantOption;
import org.gupsim.kernel.Kernel;
import org.gupsim.tlb.ShootdownPromise;

/**
 * powerpc book3s64 (64-bit Power, POWER8 and later), registered with
 * {@link java.util.ServiceLoader}. Variants are a base from {@link PpcBaseVariant} followed by
 * options ({@link PpcVariant#OPTIONS}), e.g. {@code radix-64k+ipi}.
 */
public final class Ppc64 extends AbstractArchitecture<PpcBaseVariant> {
    /** The name users type. */
    public static final String NAME = "ppc64";

    /** For {@link java.util.ServiceLoader}. */
    public Ppc64() {
        // Aliases: the kernel's arch/powerpc, and what uname -m prints on little-endian machines.
        // Memory model: IBM Power, not multi-copy-atomic (Alglave et al. 2014; herd7 ppc.cat).
        super(NAME, List.of("powerpc", "ppc64le"),
                "powerpc book3s64: radix (64K or 4K pages) or hash MMU (64K pages), tlbie broadcast "
                        + "or IPI multicast, tables freed through RCU",
                "power", PpcBaseVariant.values(), PpcVariant.OPTIONS);
    }

    /** {@code radix-64k} for every kernel: the radix MMU with 64K pages, as distributions ship it. */
    @Override
    public String defaultVariant(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return PpcBaseVariant.RADIX_64K.label();
    }

    /** @throws IllegalArgumentException for {@code ipi} on hash */
    @Override
    protected ArchVariant variant(PpcBaseVariant base, Set<VariantOption> options, String spec) {
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
}
