package org.gupsim.scenario;

import java.util.List;

/** The scenario catalogue, in listing order. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(new GupFastVsMunmap(), new GupFastVsTruncate(),
            new GupFastVsEvict(), new GupFastVsUpgrade());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }

    /**
     * The scenario called {@code name}.
     *
     * @throws IllegalArgumentException naming the scenarios there are
     */
    public static Scenario get(String name) {
        for (Scenario s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scenario must be one of " + names() + ", was '" + name + "'");
    }
}
