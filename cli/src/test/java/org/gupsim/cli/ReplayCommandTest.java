package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {

    @Test
    void anEmptyScheduleRunsTheCpusOneAfterTheOtherAndIsSafe() {
        CliRun r = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "", "--arch", "x86_64:native",
                "--kernel", "6.10");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        assertEquals("", r.err());
        assertEquals("SAFE (outcome pinned=1)", r.outLines().get(1));
        assertTrue(r.out().contains("\noutcome: pinned=1\n"), r.out());
        assertTrue(r.out().contains("flush_tlb_mm_range: IPI -> CPU0"), r.out());
    }

    @Test
    void jsonGivesTheCompleteScheduleAndTheOutcome() {
        CliRun r = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", "1", "--arch", "x86_64:native",
                "--kernel", "6.10", "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.toString());
        JsonNode j = ExploreCommandTest.json(r);
        assertEquals("SAFE", j.get("verdict").asText());
        assertEquals("pinned=0 errno=EFAULT", j.get("outcome").asText());
        assertTrue(j.get("violation").isNull());
        assertTrue(j.get("schedule").asText().startsWith("1x"), j.toString());
        assertEquals("CPU1", j.get("trace").get(0).get("thread").asText());
        CliRun again = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", j.get("schedule").asText(), "--arch",
                "x86_64:native", "--kernel", "6.10", "--json");
        assertEquals(j.get("trace"), ExploreCommandTest.json(again).get("trace"));
    }

    @Test
    void aScheduleFromAnotherMachineDoesNotFit() {
        String s = ExploreCommandTest.json(CliRun.of(ExploreCommandTest.with(ExploreCommandTest.UAF, "--json")))
                .get("violation").get("schedule").asText();
        CliRun r = CliRun.of("replay", "gup-fast-vs-munmap", "--schedule", s, "--arch", "x86_64:invlpgb");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gupsim replay: --schedule " + s + " does not fit"), r.err());
    }
}
