package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.gupsim.kernel.UserCode;

/**
 * The scenario catalogue, in listing order: core's own scenarios, then those of every
 * {@link ScenarioProvider} on the class path (providers sorted by class name).
 */
public final class Scenarios {
    private static final List<Scenario> CORE = List.of(new GupFastVsMunmap(), new GupFastVsTruncate(),
            new GupFastVsEvict(), new GupFastVsUpgrade(), new GupFastVsDontneed(), new GupFastVsCollapse(),
            new GupFastVsCollapseMunmap(), new GupFastVsRetract(), new GupFastVsMadvCollapse(), new GupFastVsFork(), new GupFastVsSwapout(),
            new GupFastVsMigrate(), new GupFastVsKsm());

    /** Catalogues by the loader they were loaded from (looked up, never iterated). */
    private static final Map<ClassLoader, List<Scenario>> LOADED = new ConcurrentHashMap<>();

    private Scenarios() {
    }

    /** Core's scenarios and those of the providers {@link UserCode#loader()} finds, loaded once per loader. */
    public static List<Scenario> all() {
        return LOADED.computeIfAbsent(UserCode.loader(), l -> catalogue(CORE, loadProviders(l)));
    }

    public static List<String> names() {
        return all().stream().map(Scenario::name).toList();
    }

    /**
     * The scenario called {@code name}.
     *
     * @throws IllegalArgumentException naming the scenarios there are
     */
    public static Scenario get(String name) {
        for (Scenario s : all()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scenario must be one of " + names() + ", was '" + name + "'");
    }

    private static List<ScenarioProvider> loadProviders(ClassLoader loader) {
        List<ScenarioProvider> providers = new ArrayList<>();
        ServiceLoader.load(ScenarioProvider.class, loader).forEach(providers::add);
        return providers;
    }

    /**
     * {@code core} followed by the scenarios of {@code providers} sorted by class name.
     *
     * @throws IllegalStateException if two scenarios share a name
     */
    static List<Scenario> catalogue(List<Scenario> core, List<ScenarioProvider> providers) {
        List<ScenarioProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparing(p -> p.getClass().getName()));
        List<Scenario> all = new ArrayList<>(core);
        for (ScenarioProvider p : sorted) {
            all.addAll(p.scenarios());
        }
        TreeSet<String> seen = new TreeSet<>();
        for (Scenario s : all) {
            if (!seen.add(s.name())) {
                throw new IllegalStateException("two scenarios are called " + s.name());
            }
        }
        return List.copyOf(all);
    }
}
