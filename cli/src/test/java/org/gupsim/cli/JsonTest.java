package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void keysKeepTheirOrderAndValuesTheirTypes() {
        String s = new Json().put("b", "x").put("a", 3).put("n", (String) null).put("t", true)
                .put("l", List.of("p", "q")).toString();
        assertEquals("{\"b\": \"x\", \"a\": 3, \"n\": null, \"t\": true, \"l\": [\"p\", \"q\"]}", s);
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("{\"k\": \"a\\\"b\\\\c\\nd\\te\\u0001\"}", new Json().put("k", "a\"b\\c\nd\te\u0001").toString());
    }

    @Test
    void nestedObjectsArraysOfObjectsAndNullableNumbers() {
        String s = new Json().put("o", new Json().put("k", 1)).put("z", (Json) null)
                .putObjects("a", List.of(new Json().put("x", "y"), new Json()))
                .putNullable("n", null).putNullable("m", 5L).toString();
        assertEquals("{\"o\": {\"k\": 1}, \"z\": null, \"a\": [{\"x\": \"y\"}, {}], \"n\": null, \"m\": 5}", s);
    }

    @Test
    void emptyObjectAndList() {
        assertEquals("{}", new Json().toString());
        assertEquals("{\"l\": []}", new Json().put("l", List.of()).toString());
    }
}
