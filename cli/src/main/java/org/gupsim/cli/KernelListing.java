package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureValue;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.Setting;
import org.gupsim.report.Json;

/**
 * The kernels, features and patches part of {@code gupsim list}: each kernel label with what
 * changed from the label before it (derived from the features), every feature with its history,
 * every patch with what it sets. Features and patches come from {@link KernelCatalogue}, users'
 * jars included, in its order.
 */
final class KernelListing {
    private KernelListing() {
    }

    static void text(StringBuilder sb) {
        KernelCatalogue c = KernelCatalogue.get();
        List<Feature<?>> features = c.features();
        sb.append("Kernels (--kernel VER, default latest; what changed from the kernel before):\n");
        for (KernelVersion k : KernelVersion.values()) {
            String release = k.release().toString();
            sb.append("  ").append(k.label()).append(k.label().equals(release) ? "" : " (" + release + ")")
                    .append("  ").append(k.description()).append('\n');
            List<Setting<?>> shown = k.previous().map(p -> k.changesFrom(p, features)).orElse(k.settings(features));
            String from = k.previous().map(p -> "changed from " + p.label()).orElse("features");
            sb.append("    ").append(from).append(shown.isEmpty() ? ": nothing" : ":").append('\n');
            for (Setting<?> s : shown) {
                sb.append("      ").append(s).append(": ").append(s.value().source()).append('\n');
            }
        }
        sb.append("Features (each value: the release it entered, or - for one no release had):\n");
        for (Feature<?> f : features) {
            sb.append("  ").append(f.name()).append("  ").append(f.description()).append('\n');
            for (FeatureValue<?> v : f.values()) {
                sb.append("    ").append(v.name()).append(" [").append(since(v)).append("] ").append(v.description())
                        .append("; ").append(v.source()).append('\n');
            }
        }
        sb.append("Patches (--patch P, repeatable; --mutant is the same):\n");
        List<Patch> patches = c.patches();
        int w = patches.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (Patch p : patches) {
            sb.append("  ").append(p.name()).append(" ".repeat(w - p.name().length())).append("  ")
                    .append(p.description()).append('\n');
            sb.append("  ").append(" ".repeat(w)).append("  ").append(p.origin()).append("; sets ")
                    .append(String.join(", ", p.sets().stream().map(Setting::toString).toList())).append('\n');
        }
    }

    private static String since(FeatureValue<?> v) {
        if (!v.mainline()) {
            return "-";
        }
        return v.since().major() == 0 ? "initially" : v.since().toString();
    }

    static ArrayNode kernels() {
        List<Feature<?>> features = KernelCatalogue.get().features();
        ArrayNode out = Json.array();
        for (KernelVersion k : KernelVersion.values()) {
            ObjectNode o = out.addObject().put("label", k.label()).put("release", k.release().toString())
                    .put("default", k == KernelVersion.LATEST).put("description", k.description())
                    .put("previous", k.previous().map(KernelVersion::label).orElse(null));
            o.set("features", settings(k.settings(features)));
            o.set("changes", settings(k.previous().map(p -> k.changesFrom(p, features)).orElse(List.of())));
        }
        return out;
    }

    private static ArrayNode settings(List<Setting<?>> settings) {
        ArrayNode out = Json.array();
        for (Setting<?> s : settings) {
            value(out.addObject().put("name", s.feature().name()), s.value());
        }
        return out;
    }

    private static ObjectNode value(ObjectNode o, FeatureValue<?> v) {
        return o.put("value", v.name()).put("description", v.description()).put("source", v.source())
                .put("release", v.mainline() ? since(v) : null);
    }

    static ArrayNode features() {
        ArrayNode out = Json.array();
        for (Feature<?> f : KernelCatalogue.get().features()) {
            ArrayNode values = out.addObject().put("name", f.name()).put("description", f.description())
                    .putArray("values");
            for (FeatureValue<?> v : f.values()) {
                value(values.addObject(), v);
            }
        }
        return out;
    }

    static ArrayNode patches() {
        ArrayNode out = Json.array();
        for (Patch p : KernelCatalogue.get().patches()) {
            ArrayNode sets = out.addObject().put("name", p.name()).put("description", p.description())
                    .put("change", p.change().word()).put("commit", p.commit()).putArray("sets");
            for (Setting<?> s : p.sets()) {
                value(sets.addObject().put("feature", s.feature().name()), s.value());
            }
        }
        return out;
    }
}
