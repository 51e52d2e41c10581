package org.gupsim.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;

/**
 * Scenario parameters as the command line gives them, {@code KEY=VALUE} items: explore's and
 * replay's {@code --param} and compare's {@code --scenario S:k=v,...} read them here, so that the
 * same parameters are refused the same way (exit code 2) by every command, including values that
 * only the scenario's own {@link Scenario#resolve} can judge together ({@code fs=xfs} on a
 * backend without a mem-path).
 */
final class ScenarioParams {
    private ScenarioParams() {
    }

    /**
     * Checks {@code items} against {@code s} and resolves them with its defaults.
     *
     * @param where how the error names the input, e.g. {@code --scenario s:a=1,b=2}, or null to
     *              name each item as {@code --param ITEM}
     * @return every parameter of {@code s}, defaults filled in
     * @throws UsageException naming the input, the key or value and what is allowed
     */
    static TreeMap<String, String> resolve(Scenario s, List<String> items, String where) {
        List<String> keys = s.params().stream().map(ScenarioParam::name).toList();
        String allowedKeys = "allowed keys of " + s.name() + ": " + (keys.isEmpty() ? "none" : String.join(", ", keys));
        TreeMap<String, String> given = new TreeMap<>();
        for (String item : items) {
            String at = where != null ? where : "--param " + item;
            if (item.isEmpty()) {
                throw where != null
                        ? new UsageException(where + " has an empty item (KEY=VALUE, " + allowedKeys + ")")
                        : new UsageException("--param needs a value (KEY=VALUE, " + allowedKeys + ")");
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new UsageException(at + ": '" + item + "' is not of the form KEY=VALUE (" + allowedKeys + ")");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            ScenarioParam p = s.params().stream().filter(x -> x.name().equals(key)).findFirst().orElseThrow(
                    () -> new UsageException(at + ": " + (key.isEmpty() ? "''" : key) + " is not a parameter of "
                            + s.name() + " (allowed: " + (keys.isEmpty() ? "none" : String.join(", ", keys)) + ")"));
            if (!p.accepts(value)) {
                throw new UsageException(at + ": " + key + " cannot be " + (value.isEmpty() ? "empty" : value)
                        + " (allowed: " + p.allowedText() + "; default: " + p.defaultValue() + ")");
            }
            if (given.containsKey(key) && !given.get(key).equals(value)) {
                throw new UsageException(at + ": " + key + " is given twice (" + given.get(key) + " and " + value
                        + "; allowed: once)");
            }
            given.put(key, value);
        }
        Map<String, String> resolved;
        try {
            resolved = s.resolve(given);
        } catch (IllegalArgumentException e) {
            throw new UsageException((where != null ? where : "--param") + ": " + e.getMessage());
        }
        return new TreeMap<>(resolved);
    }
}
