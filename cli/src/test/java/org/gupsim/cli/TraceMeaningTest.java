package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace says what the RCU-related steps mean: turning IRQs off holds off RCU-sched grace
 * periods (not an RCU lock, as {@code ACQUIRE rcu[0]} read), call_rcu() begins the wait for a grace
 * period and the RCU thread's rcu_gp_wait ends it; with the split flavours of kernels before 4.20
 * it says that IRQs off does not hold off call_rcu()'s grace periods. In text, HTML and replay
 * alike; JSON keeps the precise access and object.
 */
class TraceMeaningTest {
    static final String[] EVICT_SPLIT = {"explore", "gup-fast-vs-evict", "--arch", "x86_64:paravirt", "--kernel", "6.5",
        "--mutant", "split-rcu-flavors"};

    @Test
    void explorationTracesSayIrqsOffHoldsOffGracePeriods() {
        CliRun r = CliRun.of(ExploreCommandTest.UAF);
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.out().contains("local_irq_save: IRQs off, holding off RCU-sched grace periods"), r.out());
        assertTrue(r.out().contains("local_irq_restore: IRQs on again"), r.out());
        assertFalse(r.out().contains("ACQUIRE rcu["), r.out());
        JsonNode first = ExploreCommandTest.json(CliRun.of(ExploreCommandTest.with(ExploreCommandTest.UAF, "--json")))
                .get("violation").get("trace");
        boolean found = false;
        for (JsonNode row : first) {
            if (row.get("function").asText().equals("local_irq_save")) {
                assertEquals("ACQUIRE", row.get("access").asText());
                assertEquals("rcu[0]", row.get("object").asText());
                found = true;
            }
        }
        assertTrue(found, first.toString());
    }

    @Test
    void splitFlavoursSayWhichGracePeriodsAndTheGracePeriodIsMarked(@TempDir Path dir) throws IOException {
        // the schedule comes from exploring, so a change of the model elsewhere cannot stale it
        CliRun found = CliRun.of(EVICT_SPLIT);
        assertEquals(Main.EXIT_FAILURE, found.exit(), found.toString());
        String replay = ExploreCommandTest.replayLine(found);
        CliRun r = CliRun.of(replay.substring("./gupsim ".length()).split(" "));
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.toString());
        assertTrue(r.out().contains("local_irq_save: IRQs off, holding off RCU-sched (not call_rcu) grace periods"),
                r.out());
        assertTrue(r.out().contains("call_rcu: queues a callback for after a grace period"), r.out());
        assertTrue(r.out().contains("rcu_gp_wait: grace period over (waited: an RCU grace period)"), r.out());

        Path html = dir.resolve("r.html");
        CliRun c = CliRun.of("compare", "--scenario", "gup-fast-vs-evict", "--arch", "x86_64:paravirt", "--kernel", "6.5",
                "--mutant", "split-rcu-flavors", "--format", "html", "--out", html.toString());
        assertEquals(Main.EXIT_OK, c.exit(), c.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("local_irq_save: IRQs off, holding off RCU-sched (not call_rcu) grace periods"), page);
        assertFalse(page.contains("ACQUIRE rcu["), "the HTML trace reads the same as the text one");
    }
}
