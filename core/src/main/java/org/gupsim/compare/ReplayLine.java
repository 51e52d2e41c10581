package org.gupsim.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.UserCode;
import org.gupsim.scenario.MemoryModelChoice;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;

/**
 * The {@code ./gupsim replay} command line that reproduces one execution, as {@code gupsim explore}
 * and {@code gupsim compare} print it: the variant and kernel in full (the default variant depends
 * on the kernel), patches sorted by name, the parameters that differ from their defaults, shell
 * quoting where needed.
 */
public final class ReplayLine {
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:+=/@%-]+");

    private ReplayLine() {
    }

    /**
     * The command line replaying {@code schedule} of {@code scenario} on {@code variant} (a full
     * name) and {@code kernel} (its label and its patches), with the {@code --classpath} users'
     * code came from ({@link UserCode#classpath()}), so that a user's scenario or patch is found
     * again.
     */
    public static String of(Scenario scenario, Map<String, String> params, String variant, Kernel kernel,
                            String schedule) {
        return of(scenario, params, variant, kernel, MemoryModelChoice.SC, schedule);
    }

    /**
     * The command line replaying {@code schedule} as {@link #of(Scenario, Map, String, Kernel, String)}
     * does, under {@code model} ({@code --memory-model} is left out for {@code sc}, the default).
     */
    public static String of(Scenario scenario, Map<String, String> params, String variant, Kernel kernel,
                            MemoryModelChoice model, String schedule) {
        List<String> args = new ArrayList<>(List.of("./gupsim"));
        UserCode.classpath().ifPresent(cp -> args.addAll(List.of("--classpath", cp)));
        args.addAll(List.of("replay", scenario.name(), "--schedule", schedule, "--arch", variant, "--kernel",
                kernel.label()));
        if (!model.sequential()) {
            args.add("--memory-model");
            args.add(model.word());
        }
        for (Patch p : kernel.patches()) {
            args.add("--patch");
            args.add(p.name());
        }
        for (ScenarioParam p : scenario.params()) {
            String v = params.get(p.name());
            if (v != null && !p.defaultValue().equals(v)) {
                args.add("--param");
                args.add(p.name() + "=" + v);
            }
        }
        List<String> quoted = new ArrayList<>();
        for (String a : args) {
            quoted.add(a.isEmpty() || !SHELL_SAFE.matcher(a).matches() ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return String.join(" ", quoted);
    }
}
