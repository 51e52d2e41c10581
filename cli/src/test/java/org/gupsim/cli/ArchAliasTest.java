package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.scenario.World;
import org.junit.jupiter.api.Test;

/**
 * The names the kernel ({@code arch/powerpc}, {@code arch/x86}) and {@code uname -m}
 * ({@code aarch64}, {@code s390x}, {@code ppc64le}) use are accepted wherever an architecture is
 * named, and answered with the architecture's own name.
 */
class ArchAliasTest {
    static final Map<String, String> ALIASES = Map.of("powerpc", "ppc64", "ppc64le", "ppc64", "aarch64", "arm64",
            "s390x", "s390", "x86", "x86_64", "x86-64", "x86_64", "amd64", "x86_64");

    @Test
    void everyAliasPinsOnItsArchitecture() {
        ALIASES.forEach((alias, arch) -> {
            CliRun r = CliRun.of("pin", "--arch", alias, "--backing", "anon", "--map", "private", "--api", "pup-fast",
                    "--json");
            assertEquals(Main.EXIT_OK, r.exit(), alias + ": " + r);
            assertEquals(arch, ExploreCommandTest.json(r).get("arch").asText(), alias);
        });
        CliRun variant = CliRun.of("pin", "--arch", "aarch64:16k-47", "--backing", "anon", "--map", "private",
                "--api", "pup", "--json");
        assertEquals("16k-47", ExploreCommandTest.json(variant).get("variant").asText(), variant.toString());
    }

    @Test
    void exploreReplayAndCompareTakeThemAndSayTheArchitecturesName() {
        CliRun e = CliRun.of("explore", "s390-gup-fast-vs-upgrade", "--arch", "s390x", "--schedules", "1");
        assertTrue(e.outLines().get(0).contains(" on s390:default,"), e.out());
        CliRun r = CliRun.of("replay", "gup-fast-vs-munmap", "--arch", "x86-64:native-rcu", "--schedule", "0");
        assertTrue(r.outLines().get(0).contains(" on x86_64:native-rcu,"), r.out());
        JsonNode c = ExploreCommandTest.json(CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch",
                "ppc64le", "--arch", "aarch64", "--schedules", "1", "--format", "json"));
        assertTrue(c.toString().contains("\"ppc64:radix-64k\"") && c.toString().contains("\"arm64:4k-48\""),
                c.toString());
    }

    @Test
    void listsAndErrorsNameThem() {
        assertTrue(CliRun.of("list").out().contains("  arm64 (or aarch64)  "));
        CliRun bad = CliRun.of("pin", "--arch", "sparc64", "--backing", "anon", "--map", "private", "--api", "pup");
        assertEquals(Main.EXIT_USAGE, bad.exit());
        assertTrue(bad.err().contains("(allowed: arm64, ppc64, s390, x86_64 (or aarch64, powerpc, ppc64le, s390x, "
                + "x86, x86-64, amd64))"), bad.err());
    }

    @Test
    void theLibraryTakesThemToo() {
        World w = World.boot("ppc64le", "latest");
        assertEquals("ppc64", w.arch().architecture().name());
        assertEquals("arm64", ArchRegistry.load().get("aarch64").name());
        assertThrows(IllegalArgumentException.class, () -> ArchRegistry.load().get("ARM64"));
    }
}
