package org.gupsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void lineKeepsInsertionOrderWithSpaceAfterSeparators() {
        ObjectNode o = Json.object().put("b", "x").put("a", 3).put("n", (String) null).put("t", true);
        o.set("l", Json.strings(List.of("p", "q")));
        assertEquals("{\"b\": \"x\", \"a\": 3, \"n\": null, \"t\": true, \"l\": [\"p\", \"q\"]}", Json.line(o));
    }

    @Test
    void lineWritesEmptyContainersWithoutSpaceAndNullMembersAsNull() {
        ObjectNode o = Json.object();
        o.putObject("o");
        o.putArray("a");
        o.set("z", null);
        o.put("k", (Long) null);
        assertEquals("{\"o\": {}, \"a\": [], \"z\": null, \"k\": null}", Json.line(o));
        assertEquals("{}", Json.line(Json.object()));
    }

    @Test
    void stringsAreEscapedAsRfc8259Asks() {
        assertEquals("{\"k\": \"a\\\"b\\\\c\\nd\\te\\u0001\u00e9\"}",
                Json.line(Json.object().put("k", "a\"b\\c\nd\te\u0001\u00e9")));
    }

    @Test
    void indentedUsesTwoSpacesAndSpacedEmptyContainers() {
        ObjectNode o = Json.object().put("a", 1);
        o.putArray("e");
        o.putObject("m").put("k", "v");
        o.set("s", Json.strings(List.of("x")));
        assertEquals("{\n  \"a\": 1,\n  \"e\": [ ],\n  \"m\": {\n    \"k\": \"v\"\n  },\n  \"s\": [\n    \"x\"\n  ]\n}",
                Json.indented(o));
    }

    @Test
    void misuseNamesTheArgument() {
        assertEquals("node must not be null",
                assertThrows(IllegalArgumentException.class, () -> Json.line(null)).getMessage());
        assertEquals("values must not be null",
                assertThrows(IllegalArgumentException.class, () -> Json.strings(null)).getMessage());
    }
}
