package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.Architecture;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioParam;
import org.gupsim.scenario.Scenarios;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    @Test
    void listsEveryScenarioVariantKernelMutantAndStrategy() {
        CliRun r = CliRun.of("list");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("", r.err());
        String out = r.out();
        List<String> wanted = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            wanted.add("  " + s.name() + " (" + s.cpus() + (s.cpus() == 1 ? " CPU)\n" : " CPUs)\n"));
            wanted.add(s.description());
            for (ScenarioParam p : s.params()) {
                wanted.add("--param " + p.name() + "=" + p.valuesText() + "  " + p.description()
                        + " (default " + p.defaultValue() + ")");
            }
        }
        for (Architecture a : ArchRegistry.load().architectures()) {
            wanted.add("  " + a.name() + "  ");
            for (String v : a.variants()) {
                wanted.add("    " + v + " ");
            }
            for (String o : a.options()) {
                wanted.add("      +" + o + " ");
                wanted.add(a.optionDescription(o) + "\n");
            }
        }
        for (String k : KernelVersion.labels()) {
            wanted.add("\n  " + k);
        }
        for (Patch m : KernelCatalogue.get().patches()) {
            wanted.add("  " + m.name() + " ");
            wanted.add(m.description());
        }
        wanted.addAll(List.of("  exhaustive  ", "  random  ", "  pct  ", "native (default before 6.15) ",
                "native-rcu (default from 6.15) ", "shootdown BROADCAST, tables freed RCU, page sizes 4K 2M 1G",
                "shootdown IPI, tables freed IMMEDIATE"));
        for (String w : wanted) {
            assertTrue(out.contains(w), "'" + w + "' in\n" + out);
        }
        assertEquals(out, CliRun.of("list").out());
    }

    @Test
    void jsonParsesAndIsTheSameEveryTime() {
        CliRun r = CliRun.of("list", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals(r.out(), CliRun.of("list", "--json").out());
        JsonNode j = ExploreCommandTest.json(r);
        assertEquals(Scenarios.names(), names(j.get("scenarios"), "name"));
        assertEquals(KernelCatalogue.get().patchNames(), names(j.get("patches"), "name"));
        assertEquals(KernelVersion.labels(), names(j.get("kernels"), "label"));
        assertEquals(List.of("exhaustive", "random", "pct"), names(j.get("strategies"), "name"));
        JsonNode x86 = null;
        for (JsonNode a : j.get("architectures")) {
            if (a.get("name").asText().equals("x86_64")) {
                x86 = a;
            }
        }
        assertEquals(ArchRegistry.load().names(), names(j.get("architectures"), "name"));
        assertTrue(x86 != null, "x86_64 is listed");
        ArchRegistry registry = ArchRegistry.load();
        assertEquals(registry.variants(registry.get("x86_64")), names(x86.get("variants"), "name"));
        JsonNode nativeRcu = x86.get("variants").get(1);
        assertEquals(List.of("6.15", "7.2", "latest"), texts(nativeRcu.get("defaultFor")));
        assertEquals("RCU", nativeRcu.get("tableFreeing").asText());
        JsonNode munmap = j.get("scenarios").get(0);
        assertEquals("anon", munmap.get("params").get(0).get("default").asText());
        assertEquals(2, munmap.get("cpus").asInt());
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
