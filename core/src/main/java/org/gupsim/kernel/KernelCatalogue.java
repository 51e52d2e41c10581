package org.gupsim.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.gupsim.util.Args;

/**
 * The features and patches on the class path: every {@link FeatureProvider} and
 * {@link PatchProvider} found through {@link ServiceLoader}, gupsim's own and users' alike.
 * Features are listed provider by provider (providers sorted by class name), patches by name, so
 * a listing is the same for the same class path.
 */
public final class KernelCatalogue {
    private final List<Feature<?>> features;
    private final TreeMap<String, Patch> patches;

    private KernelCatalogue(List<FeatureProvider> featureProviders, List<PatchProvider> patchProviders) {
        List<Feature<?>> fs = new ArrayList<>();
        TreeMap<String, Feature<?>> byName = new TreeMap<>();
        for (FeatureProvider p : sorted(featureProviders)) {
            for (Feature<?> f : p.features()) {
                Feature<?> o = byName.putIfAbsent(f.name(), f);
                if (o == null) {
                    fs.add(f);
                } else if (o != f) {
                    throw new IllegalStateException("two features are called " + f.name());
                }
            }
        }
        this.features = List.copyOf(fs);
        this.patches = new TreeMap<>();
        for (PatchProvider p : sorted(patchProviders)) {
            for (Patch patch : p.patches()) {
                Patch o = patches.putIfAbsent(patch.name(), patch);
                if (o != null && o != patch) {
                    throw new IllegalStateException("two patches are called " + patch.name());
                }
            }
        }
    }

    /** Catalogues by the loader they were loaded from (looked up, never iterated). */
    private static final Map<ClassLoader, KernelCatalogue> LOADED = new ConcurrentHashMap<>();

    /**
     * The catalogue of the class path users' code is found on ({@link UserCode#loader()}), loaded
     * once per class loader.
     *
     * @throws IllegalStateException if two features, or two patches, share a name
     * @throws java.util.ServiceConfigurationError if a provider named in a jar cannot be loaded
     */
    public static KernelCatalogue get() {
        return LOADED.computeIfAbsent(UserCode.loader(), KernelCatalogue::load);
    }

    /**
     * The catalogue of what {@code loader} finds.
     *
     * @throws IllegalStateException if two features, or two patches, share a name
     */
    public static KernelCatalogue load(ClassLoader loader) {
        Args.notNull(loader, "loader");
        List<FeatureProvider> fp = new ArrayList<>();
        ServiceLoader.load(FeatureProvider.class, loader).forEach(fp::add);
        List<PatchProvider> pp = new ArrayList<>();
        ServiceLoader.load(PatchProvider.class, loader).forEach(pp::add);
        return of(fp, pp);
    }

    /** The catalogue of the given providers. */
    public static KernelCatalogue of(List<FeatureProvider> featureProviders, List<PatchProvider> patchProviders) {
        Args.notNull(featureProviders, "featureProviders");
        Args.notNull(patchProviders, "patchProviders");
        return new KernelCatalogue(featureProviders, patchProviders);
    }

    private static <P> List<P> sorted(List<P> providers) {
        List<P> s = new ArrayList<>(providers);
        s.sort(Comparator.comparing(p -> p.getClass().getName()));
        return s;
    }

    /** Every feature, provider by provider. */
    public List<Feature<?>> features() {
        return features;
    }

    /** Every patch, sorted by name. */
    public List<Patch> patches() {
        return List.copyOf(patches.values());
    }

    /** Patch names, sorted. */
    public List<String> patchNames() {
        return List.copyOf(patches.keySet());
    }

    /**
     * The patch called {@code name}.
     *
     * @throws IllegalArgumentException naming the patches there are
     */
    public Patch patch(String name) {
        Patch p = name == null ? null : patches.get(name);
        if (p == null) {
            throw new IllegalArgumentException("patch must be one of " + patchNames() + ", was '" + name + "'");
        }
        return p;
    }
}
