package org.gupsim.compare;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.lang3.Validate;

/**
 * A scenario axis entry: the scenario's name and its parameters, resolved (defaults filled in).
 *
 * @param name   the scenario name, e.g. {@code gup-fast-vs-munmap}
 * @param params every parameter, sorted by name
 */
public record ScenarioSpec(String name, SortedMap<String, String> params) {

    public ScenarioSpec {
        Validate.isTrue(name != null && !name.isBlank(), "name must not be empty");
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params == null ? Map.of() : params));
    }

    /** A spec from any map of parameters. */
    public static ScenarioSpec of(String name, Map<String, String> params) {
        return new ScenarioSpec(name, params == null ? null : new TreeMap<>(params));
    }

    /**
     * The column heading: the name, then the parameters that differ from {@code defaults} as
     * {@code [k=v,...]}, e.g. {@code gup-fast-vs-munmap[table-batch=fail]}.
     */
    public String label(Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder(name);
        String sep = "[";
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getValue().equals(defaults.get(e.getKey()))) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ",";
            }
        }
        return sep.equals(",") ? sb.append(']').toString() : sb.toString();
    }

    @Override
    public String toString() {
        return params.isEmpty() ? name : name + params;
    }
}
