package org.gupsim.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code public static final} constants of one type that a provider class declares: what
 * {@link FeatureProvider#features()} and {@link PatchProvider#patches()} answer by default, so that
 * a provider which declares its features or patches as constants does not list them a second time.
 */
final class DeclaredConstants {
    private DeclaredConstants() {
    }

    /**
     * The values of {@code declaring}'s own {@code public static final} fields of {@code type}, in
     * the order {@link Class#getDeclaredFields()} gives (unspecified: callers that show them in
     * order sort them).
     *
     * @throws IllegalStateException if a field cannot be read (the class is not public)
     */
    static <T> List<T> of(Class<?> declaring, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Field f : declaring.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && type.isAssignableFrom(f.getType())) {
                try {
                    out.add(type.cast(f.get(null)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(declaring.getName() + "." + f.getName() + " cannot be read: "
                            + "a provider that lists its " + type.getSimpleName() + " constants by default must be public", e);
                }
            }
        }
        return out;
    }
}
