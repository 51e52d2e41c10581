package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Closed and free-form parameters: what they accept and how they are described. */
class ScenarioParamTest {
    private static final ScenarioParam CLOSED = new ScenarioParam("backing", "anon", List.of("anon", "shmem"), "what");
    private static final ScenarioParam PAGES = ScenarioParam.freeForm("pages", "1", List.of("1", "64"), "how many",
            "1..64", v -> v.matches("[1-9][0-9]?") && Integer.parseInt(v) <= 64);

    @Test
    void aClosedParameterAcceptsItsValuesOnly() {
        assertTrue(CLOSED.accepts("shmem"));
        assertFalse(CLOSED.accepts("ext4"));
        assertFalse(CLOSED.accepts(null));
        assertEquals("one of anon, shmem", CLOSED.expected());
        assertEquals("anon|shmem", CLOSED.valuesText());
    }

    @Test
    void aFreeFormParameterAcceptsItsSyntaxAndListsExamples() {
        assertTrue(PAGES.accepts("33"));
        assertFalse(PAGES.accepts("65"));
        assertFalse(PAGES.accepts("x"));
        assertEquals("1..64, e.g. 1, 64", PAGES.expected());
        assertEquals("1..64", PAGES.valuesText());
    }

    @Test
    void examplesMustHaveTheSyntax() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> ScenarioParam.freeForm("pages",
                "1", List.of("1", "99"), "how many", "1..64", v -> v.length() == 1));
        assertEquals("example 99 must have the syntax 1..64", x.getMessage());
    }
}
