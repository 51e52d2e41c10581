package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Composed variants and backend options on the command line: a bad one is one line and exit 2, a
 * good one runs like a built-in.
 */
class VariantCompositionCliTest {

    private static void refused(String arch, String expected) {
        CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", arch, "--schedules", "10");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void badCompositionsAndOptionsAreOneLine() {
        refused("x86_64:native-rcu+few-cpus", "'few-cpus' needs the invlpgb base");
        refused("x86_64:rar+lpa2", "variant option must be one of [la57, few-cpus], was 'lpa2'");
        refused("x86_64:rar+few-cpus", "--arch: variant 'rar+few-cpus' takes its page tables from 'native-rcu': "
                + "variant option 'few-cpus' needs the invlpgb base");
        refused("x86_64:rarr", "variant must be one of [native, native-rcu, paravirt, invlpgb, rar]");
        refused("x86_64:rär", "variant must be one of [native, native-rcu, paravirt, invlpgb, rar]");
        refused("x86_64:", "variant must be one of [native, native-rcu, paravirt, invlpgb, rar]");
    }

    @Test
    void aComposedVariantIsListedAndRunsLikeABuiltIn() {
        CliRun list = CliRun.of("list");
        assertTrue(list.out().contains("    rar "), list.out());
        assertTrue(list.out().contains("shootdown RAR, tables freed RCU"), list.out());
        // Intel RAR is a posted series: the CPU with RAR runs on a kernel with the patch that adds it.
        CliRun r = CliRun.of("explore", "gup-fast-vs-munmap", "--arch", "x86_64:rar+la57", "--mutant",
                "immediate-table-free", "--patch", "intel-rar");
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.out().contains("VIOLATION: USE_AFTER_FREE"), r.out());
        assertTrue(r.out().contains("on x86_64:rar+la57, kernel latest"), r.out());
        assertTrue(r.out().contains("replay: ./gupsim replay gup-fast-vs-munmap"), r.out());
    }

    /**
     * A comparison across kernels shows a variant a kernel did not have as N/A cells naming why;
     * a variant none of the kernels had is a mistake in the command.
     */
    @Test
    void aVariantAKernelDidNotHaveIsNotApplicableThereAndRefusedIfNoKernelHadIt() {
        CliRun both = CliRun.of("compare", "--format", "json", "--scenario", "gup-fast-vs-munmap", "--arch",
                "arm64:4k-52", "--kernel", "6.5", "--kernel", "latest", "--schedules", "50");
        assertEquals(Main.EXIT_OK, both.exit(), both.toString());
        assertTrue(both.out().contains("\"reason\": \"arm64:4k-52 does not exist on kernel 6.5: 52-bit virtual "
                + "addresses with 4K pages came with LPA2 support in 6.9"), both.out());
        assertTrue(both.out().contains("\"verdict\": \"SAFE\""), both.out());
        CliRun none = CliRun.of("compare", "--scenario", "gup-fast-vs-munmap", "--arch", "arm64:4k-52", "--kernel",
                "6.5");
        assertEquals(Main.EXIT_USAGE, none.exit(), none.toString());
        assertEquals("gupsim compare: --arch arm64:4k-52 is not available with --kernel 6.5: 52-bit virtual "
                + "addresses with 4K pages came with LPA2 support in 6.9 (352b0395b505); before, ARM64_VA_BITS_52 "
                + "needed 64K pages", none.err().strip());
    }

    @Test
    void listSaysWhichKernelsHaveEachVariant() {
        CliRun list = CliRun.of("list");
        assertTrue(list.out().contains("page sizes 4K 64K 2M 32M 1G, kernels from 6.10"), list.out());
        assertTrue(list.out().contains("shootdown RAR, tables freed RCU, page sizes 4K 2M 1G, kernels none released; "
                + "with --patch intel-rar from 6.15"), list.out());
        assertTrue(list.out().contains("shootdown IPI, tables freed IMMEDIATE, page sizes 4K 2M 1G, kernels before 6.15"),
                list.out());
        assertTrue(list.out().contains("shootdown BROADCAST, tables freed RCU, page sizes 4K 2M 1G, kernels from 6.15"),
                list.out());
        // s390 packed two page tables per page before d08d4e7cd6bf (6.7; 6.10 is the first preset after it).
        assertTrue(list.out().contains("fragments (default before 6.10)  shootdown BROADCAST, tables freed RCU, page "
                + "sizes 4K 1M 2G, kernels before 6.10"), list.out());
    }
}
