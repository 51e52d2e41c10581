package org.gupsim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import org.apache.commons.lang3.Validate;

/**
 * The one JSON writer of the project: every JSON gupsim prints is a Jackson tree
 * ({@link ObjectNode}, members in the order they were put, so output is byte-identical from run to
 * run) written by one of two printers. {@link #line} is the one-line layout of the commands'
 * answers ({@code explore --json}, {@code replay --json}, {@code list --json}, {@code pin --json}):
 * {@code {"a": 1, "b": [], "c": {}}}. {@link #indented} is the comparison report's layout: two
 * spaces per level, {@code \n} line ends, {@code [ ]} and {@code { }} when empty.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ObjectWriter LINE = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEntrySpacing(Separators.Spacing.AFTER)
            .withArrayValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
            .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));

    private static final ObjectWriter INDENTED = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /** A new empty object; {@code put} with a null value writes JSON null. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty array. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** An array of {@code values}, in their order. */
    public static ArrayNode strings(Iterable<String> values) {
        Validate.isTrue(values != null, "values must not be null");
        ArrayNode a = array();
        values.forEach(a::add);
        return a;
    }

    /** {@code node} on one line, {@code ", "} between members and {@code ": "} after names; no newline. */
    public static String line(JsonNode node) {
        return write(LINE, node);
    }

    /** {@code node} indented by two spaces per level; no newline after the last brace. */
    public static String indented(JsonNode node) {
        return write(INDENTED, node);
    }

    private static String write(ObjectWriter writer, JsonNode node) {
        Validate.isTrue(node != null, "node must not be null");
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serialises; this would be a Jackson bug.
            throw new UncheckedIOException(e);
        }
    }
}
