package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The commands work on powerpc book3s64, whose default variant has 64K base pages. */
class PpcCliTest {

    private static void assertOut(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals(expected, r.out().strip(), r.toString());
    }

    @Test
    void pinUsesTheVariantsPageSizes() {
        assertOut("pinned 4/4 pages (fast path)", "pin", "--arch", "ppc64", "--backing", "anon", "--map", "private",
                "--api", "pup-fast", "--write", "--longterm", "--pages", "4");
        assertOut("pinned 32/32 pages (fast path)", "pin", "--arch", "ppc64", "--backing", "hugetlb", "--map", "shared",
                "--api", "pup-fast", "--write", "--longterm");
        assertOut("pinned 256/256 pages (fast path)", "pin", "--arch", "ppc64:hash-64k", "--backing", "memfd-hugetlb",
                "--map", "shared", "--api", "pup-fast", "--write", "--longterm");
        assertOut("pinned 512/512 pages (slow path)", "pin", "--arch", "ppc64:radix-4k+ipi", "--backing", "anon",
                "--map", "private", "--api", "pup", "--write", "--page-size", "2M");
        CliRun r = CliRun.of("pin", "--arch", "ppc64:hash-64k", "--backing", "anon", "--map", "private", "--api", "pup",
                "--page-size", "2M");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("(allowed: 64K, 16M)"), r.err());
    }

    @Test
    void exploreAndList() {
        CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "ppc64:hash-64k", "--mutant",
                "immediate-table-free");
        assertTrue(r.out().contains("VIOLATION: USE_AFTER_FREE"), r.toString());
        r = CliRun.of("list");
        assertTrue(r.out().contains("hash-64k             shootdown BROADCAST, tables freed RCU, page sizes 64K 16M 16G"),
                r.out());
    }
}
