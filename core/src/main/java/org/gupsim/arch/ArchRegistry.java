package org.gupsim.arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;

/**
 * Finds the architecture modules on the class path with {@link ServiceLoader}, sorted by name so
 * listings are deterministic.
 */
public final class ArchRegistry {
    private final List<Architecture> architectures;

    private ArchRegistry(List<Architecture> architectures) {
        this.architectures = List.copyOf(architectures);
    }

    /** The architectures visible to this class's class loader. */
    public static ArchRegistry load() {
        List<Architecture> found = new ArrayList<>();
        ServiceLoader.load(Architecture.class, ArchRegistry.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(Architecture::name));
        return new ArchRegistry(found);
    }

    public List<Architecture> architectures() {
        return architectures;
    }

    public List<String> names() {
        return architectures.stream().map(Architecture::name).toList();
    }

    /** @throws IllegalArgumentException if there is no such architecture */
    public Architecture get(String name) {
        for (Architecture a : architectures) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("arch must be one of " + names() + ", was '" + name + "'");
    }

    /**
     * Parses {@code arch[:variant]} for {@code kernel}. Without a colon the architecture's default
     * variant is used; with one, what follows must name a variant ({@code arm64:} is refused).
     *
     * @throws VariantUnavailableException if the variant exists, but not yet on {@code kernel}
     * @throws IllegalArgumentException    naming what is wrong and what is allowed
     */
    public ArchVariant parse(String spec, Kernel kernel) {
        Validate.isTrue(spec != null && !spec.isBlank(), "arch must not be empty");
        Validate.isTrue(kernel != null, "kernel must not be null");
        int colon = spec.indexOf(':');
        String arch = colon < 0 ? spec : spec.substring(0, colon);
        String variant = colon < 0 ? null : spec.substring(colon + 1);
        ArchVariant v = get(arch).variant(variant, kernel);
        VariantUnavailableException.check(v, kernel);
        return v;
    }
}
