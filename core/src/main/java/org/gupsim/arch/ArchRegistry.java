package org.gupsim.arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.UserCode;
import org.gupsim.util.Args;

/**
 * Finds the architecture modules on the class path with {@link ServiceLoader}, sorted by name so
 * listings are deterministic, and the variants composed of parts that jars contribute
 * ({@link VariantProvider}), which it names and builds beside each architecture's own variants.
 */
public final class ArchRegistry {
    private final List<Architecture> architectures;
    private final List<VariantRecipe> recipes;

    private ArchRegistry(List<Architecture> architectures, List<VariantRecipe> recipes) {
        this.architectures = List.copyOf(architectures);
        this.recipes = List.copyOf(recipes);
        Set<String> seen = new HashSet<>();
        for (Architecture a : architectures) {
            for (String n : concat(a.name(), a.aliases())) {
                Validate.validState(seen.add(n), "two architectures on the class path answer to '%s'", n);
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }

    /** The architectures and composed variants users' code is found with ({@link UserCode#loader()}). */
    public static ArchRegistry load() {
        ClassLoader loader = UserCode.loader();
        List<Architecture> found = new ArrayList<>();
        ServiceLoader.load(Architecture.class, loader).forEach(found::add);
        found.sort(Comparator.comparing(Architecture::name));
        // Providers in class-name order, each one's recipes in its own order: the same listing
        // whatever order the class path names the jars in.
        List<VariantProvider> providers = new ArrayList<>();
        ServiceLoader.load(VariantProvider.class, loader).forEach(providers::add);
        providers.sort(Comparator.comparing(p -> p.getClass().getName()));
        List<VariantRecipe> recipes = new ArrayList<>();
        for (VariantProvider p : providers) {
            recipes.addAll(p.variants());
        }
        return new ArchRegistry(found, recipes);
    }

    /** The composed variants found, in listing order. */
    public List<VariantRecipe> recipes() {
        return recipes;
    }

    /** The composed variants of {@code arch}, in listing order. */
    public List<VariantRecipe> recipes(Architecture arch) {
        return recipes.stream().filter(r -> r.arch().equals(arch.name())).toList();
    }

    /** {@code arch}'s own base variants followed by the composed ones, in listing order. */
    public List<String> variants(Architecture arch) {
        List<String> out = new ArrayList<>(arch.variants());
        for (VariantRecipe r : recipes(arch)) {
            out.add(r.name());
        }
        return out;
    }

    /**
     * Builds a variant of {@code arch} from its spec (null for the default), whether the
     * architecture's own or composed ({@link VariantRecipe}); options apply to the page tables.
     * It does not check that {@code kernel} has it ({@link #parse} does).
     *
     * @throws IllegalArgumentException naming the bad part and what is allowed: an unknown variant
     *                                  or option, a composed variant defined twice, whose page
     *                                  tables the architecture does not have, or whose backends
     *                                  those page tables cannot take ({@link Architecture#refuses})
     */
    public ArchVariant variant(Architecture arch, String spec, Kernel kernel) {
        Args.notNull(arch, "arch");
        Args.notNull(kernel, "kernel");
        List<VariantRecipe> own = recipes(arch);
        if (spec == null || own.isEmpty()) {
            return arch.variant(spec, kernel);
        }
        VariantSpec v = VariantSpec.parse(spec, variants(arch), arch.options());
        List<VariantRecipe> named = own.stream().filter(r -> r.name().equals(v.base())).toList();
        if (named.isEmpty()) {
            return arch.variant(spec, kernel);
        }
        VariantRecipe r = named.get(0);
        Validate.isTrue(named.size() == 1 && !arch.variants().contains(r.name()),
                "variant '%s' of %s is defined more than once (%s has its own or two providers name it)",
                r.name(), arch.name(), arch.name());
        return compose(r, v.options(), kernel);
    }

    /**
     * Composes {@code recipe} with {@code options} (applied to its page tables), whether or not a
     * provider registered it: a test can try a backend without a service file. It does not check
     * that {@code kernel} has it.
     *
     * @throws IllegalArgumentException if the recipe's architecture or page tables do not exist,
     *                                  an option is not the architecture's, or the page tables
     *                                  cannot take the backends ({@link Architecture#refuses})
     */
    public ComposedVariant compose(VariantRecipe recipe, List<String> options, Kernel kernel) {
        Validate.isTrue(recipe != null && options != null && kernel != null,
                "recipe, options and kernel must not be null");
        Architecture arch = get(recipe.arch());
        Validate.isTrue(arch.variants().contains(recipe.pageTables()),
                "variant '%s' takes its page tables from '%s', which is not a %s variant (one of %s)",
                recipe.name(), recipe.pageTables(), arch.name(), arch.variants());
        VariantSpec tablesSpec = VariantSpec.parse(new VariantSpec(recipe.pageTables(), options).name(),
                arch.variants(), arch.options());
        ArchVariant tables;
        try {
            tables = arch.variant(tablesSpec.name(), kernel);
        } catch (IllegalArgumentException e) {
            // The architecture names its own variant; say which composed one asked for it.
            throw new IllegalArgumentException("variant '" + new VariantSpec(recipe.name(), options).name()
                    + "' takes its page tables from '" + recipe.pageTables() + "': " + e.getMessage(), e);
        }
        ComposedVariant composed = new ComposedVariant(arch, recipe, tables, tablesSpec.options());
        arch.refuses(composed).ifPresent(why -> {
            throw new IllegalArgumentException("variant '" + composed.name() + "' cannot be composed: " + why);
        });
        return composed;
    }

    public List<Architecture> architectures() {
        return architectures;
    }

    /** The architectures' names, in name order. */
    public List<String> names() {
        return architectures.stream().map(Architecture::name).toList();
    }

    /** Every alias ({@link Architecture#aliases}) of every architecture, in name order of the architectures. */
    public List<String> aliases() {
        return architectures.stream().flatMap(a -> a.aliases().stream()).toList();
    }

    /** Whether {@code name} is an architecture's name or alias. */
    public boolean knows(String name) {
        return find(name) != null;
    }

    /**
     * The architecture called {@code name} or known by that alias.
     *
     * @throws IllegalArgumentException if there is no such architecture
     */
    public Architecture get(String name) {
        Architecture a = find(name);
        if (a == null) {
            throw new IllegalArgumentException("arch must be one of " + names() + " (or an alias: " + aliases()
                    + "), was '" + name + "'");
        }
        return a;
    }

    private Architecture find(String name) {
        for (Architecture a : architectures) {
            if (a.name().equals(name) || a.aliases().contains(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Parses {@code arch[:variant]} for {@code kernel}; {@code arch} may be an alias
     * ({@code aarch64:16k-47}). Without a colon the architecture's default
     * variant is used; with one, what follows must name a variant ({@code arm64:} is refused).
     *
     * @throws VariantUnavailableException if the variant exists, but not yet on {@code kernel}
     * @throws IllegalArgumentException    naming what is wrong and what is allowed
     */
    public ArchVariant parse(String spec, Kernel kernel) {
        ArchVariant v = resolve(spec, kernel);
        VariantUnavailableException.check(v, kernel);
        return v;
    }

    /**
     * Parses {@code arch[:variant]} for {@code kernel} as {@link #parse} does, but does not check
     * that {@code kernel} has the variant: a comparison across kernels shows such cells as N/A.
     *
     * @throws IllegalArgumentException naming what is wrong and what is allowed
     */
    public ArchVariant resolve(String spec, Kernel kernel) {
        Validate.isTrue(spec != null && !spec.isBlank(), "arch must not be empty");
        Args.notNull(kernel, "kernel");
        int colon = spec.indexOf(':');
        String arch = colon < 0 ? spec : spec.substring(0, colon);
        String variant = colon < 0 ? null : spec.substring(colon + 1);
        return variant(get(arch), variant, kernel);
    }
}
