package org.gupsim.cli;

import java.util.List;

/**
 * A small writer for one JSON object with keys in the order they are added, so output is
 * byte-identical from run to run. Values are strings, integers, booleans, null, lists of
 * strings, nested objects and lists of objects.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder("{");
    private boolean first = true;

    private Json key(String key) {
        if (!first) {
            sb.append(", ");
        }
        first = false;
        quote(sb, key);
        sb.append(": ");
        return this;
    }

    /** Adds a string member; null becomes JSON null. */
    public Json put(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            quote(sb, value);
        }
        return this;
    }

    public Json put(String key, long value) {
        key(key).sb.append(value);
        return this;
    }

    /** Adds an integer member that may be absent; null becomes JSON null. */
    public Json putNullable(String key, Long value) {
        key(key).sb.append(value == null ? "null" : value.toString());
        return this;
    }

    public Json put(String key, boolean value) {
        key(key).sb.append(value);
        return this;
    }

    /** Adds an array of strings. */
    public Json put(String key, List<String> values) {
        key(key).sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            quote(sb, values.get(i));
        }
        sb.append(']');
        return this;
    }

    /** Adds a nested object; null becomes JSON null. */
    public Json put(String key, Json value) {
        key(key).sb.append(value == null ? "null" : value.toString());
        return this;
    }

    /** Adds an array of objects. */
    public Json putObjects(String key, List<Json> values) {
        key(key).sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values.get(i));
        }
        sb.append(']');
        return this;
    }

    /** The object, closed. */
    @Override
    public String toString() {
        return sb + "}";
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escaping). */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
