package org.gupsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.arch.ArchVariant;
import org.gupsim.sched.Violation;

/**
 * A scenario: how to set a world up, one program per CPU, and what to observe, like a jcstress
 * test or a kernel selftest made into a concurrent one. The explorer runs the programs under
 * every interleaving (or a sample of them); the model's checkers and the scenario's own
 * properties decide whether one went wrong.
 */
public interface Scenario {

    /** The name users type, e.g. {@code gup-fast-vs-munmap}. */
    String name();

    /** One line saying what races against what. */
    String description();

    /** The parameters, with defaults. */
    List<ScenarioParam> params();

    /**
     * Refuses an architecture variant this scenario cannot run on (most scenarios run anywhere).
     *
     * @throws IllegalArgumentException naming the reason
     */
    default void checkArch(ArchVariant arch) {
    }

    /**
     * What an outcome means for the people who run the scenario, beyond the outcome string itself
     * (e.g. what a guest sees when a call failed); printed under the outcome table. None by
     * default.
     *
     * @param outcome an outcome this scenario's {@link Programs#outcome()} produced
     */
    default List<String> explain(String outcome) {
        return List.of();
    }

    /** How many CPUs run programs. */
    int cpus();

    /**
     * Sets up {@code world} (in direct mode, before exploration attaches) and returns the programs
     * for this execution.
     *
     * @param params every parameter, resolved ({@link #resolve})
     */
    Programs setUp(World world, Map<String, String> params);

    /** The programs of one execution, and what was observed. */
    interface Programs {
        /** The program of CPU {@code cpu}. */
        void run(int cpu);

        /** The observed outcome, e.g. {@code pinned=1} or {@code pinned=0 errno=EFAULT}. */
        String outcome();

        /**
         * Releases what the programs left (pins, open files), in direct mode after all CPUs are
         * done; the world's own teardown checks follow.
         *
         * @return problems found
         */
        List<Violation> release();
    }

    /**
     * The resolved parameters as {@code key=value} entries for a header line, in the map's order.
     * A scenario may show a value as it resolves (e.g. {@code share=off (default)}) or leave out a
     * parameter that means nothing with the others; the map itself is what replays use.
     *
     * @param params every parameter, resolved ({@link #resolve})
     */
    default List<String> describeParams(Map<String, String> params) {
        List<String> out = new ArrayList<>();
        params.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * The full parameter map: defaults filled in, every given value checked.
     *
     * @throws IllegalArgumentException naming an unknown parameter or a bad value and what is allowed
     */
    default Map<String, String> resolve(Map<String, String> given) {
        Map<String, String> out = new TreeMap<>();
        for (ScenarioParam p : params()) {
            out.put(p.name(), p.defaultValue());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            ScenarioParam p = params().stream().filter(x -> x.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("param " + e.getKey() + " is not a parameter of "
                            + name() + " (allowed: " + params().stream().map(ScenarioParam::name).toList() + ")"));
            if (!p.accepts(e.getValue())) {
                throw new IllegalArgumentException("param " + p.name() + " must be " + p.expected()
                        + ", was '" + e.getValue() + "'");
            }
            out.put(p.name(), e.getValue());
        }
        return out;
    }
}
