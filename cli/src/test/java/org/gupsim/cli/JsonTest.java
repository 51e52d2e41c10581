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
    void emptyObjectAndList() {
        assertEquals("{}", new Json().toString());
        assertEquals("{\"l\": []}", new Json().put("l", List.of()).toString());
    }
}
