package org.gupsim.arch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A value users name by a label: an architecture's base variants ({@code native-rcu}, {@code 16k-47})
 * and variant options ({@code la57}). The helpers here turn the values of an enum or list into
 * their labels and back, so that no architecture writes that loop again.
 */
public interface Labelled {

    /** The name users type. */
    String label();

    /**
     * The label of an enum constant whose users type its name: lower case, underscores as hyphens
     * ({@code HUGETLBFS} is {@code hugetlbfs}, {@code NO_SYNC} would be {@code no-sync}).
     */
    static String ofName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The labels of {@code values}, in their order. */
    static List<String> labels(List<? extends Labelled> values) {
        return values.stream().map(Labelled::label).toList();
    }

    /** The labels of {@code values} (e.g. an enum's {@code values()}), in their order. */
    static List<String> labels(Labelled[] values) {
        return labels(Arrays.asList(values));
    }

    /** The value of {@code values} labelled {@code label}, or null. */
    static <T extends Labelled> T byLabel(List<T> values, String label) {
        for (T v : values) {
            if (v.label().equals(label)) {
                return v;
            }
        }
        return null;
    }

    /** The value of {@code values} (e.g. an enum's {@code values()}) labelled {@code label}, or null. */
    static <T extends Labelled> T byLabel(T[] values, String label) {
        return byLabel(Arrays.asList(values), label);
    }
}
