package org.gupsim.memmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.gupsim.kernel.UserCode;

/**
 * The memory models there are: the built-in {@code sc}, {@code tso}, {@code arm64} and
 * {@code power}, and every {@link MemoryModel} registered through {@link ServiceLoader} on the
 * class path (the built-ins are registered the same way, in core's own
 * {@code META-INF/services/org.gupsim.memmodel.MemoryModel}). Listed built-ins first, then the
 * others by name; a name found twice is refused, so no model silently shadows another.
 */
public final class MemoryModels {

    private static final List<String> BUILT_IN = List.of("sc", "tso", "arm64", "power");

    private MemoryModels() {
    }

    /** Every model on the class path users' code is found on ({@link UserCode#loader()}). */
    public static List<MemoryModel> all() {
        return all(UserCode.loader());
    }

    /** Every model {@code loader} can see, built-ins first, then the others by name. */
    public static List<MemoryModel> all(ClassLoader loader) {
        List<MemoryModel> found = new ArrayList<>();
        for (MemoryModel m : ServiceLoader.load(MemoryModel.class, loader)) {
            for (MemoryModel f : found) {
                if (f.name().equals(m.name())) {
                    throw new IllegalStateException("two memory models are named '" + m.name() + "': "
                            + f.getClass().getName() + " and " + m.getClass().getName());
                }
            }
            found.add(m);
        }
        found.sort((a, b) -> {
            int ia = BUILT_IN.indexOf(a.name());
            int ib = BUILT_IN.indexOf(b.name());
            if (ia >= 0 || ib >= 0) {
                return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
            }
            return a.name().compareTo(b.name());
        });
        return List.copyOf(found);
    }

    /** The names of {@link #all()}, in order. */
    public static List<String> names() {
        return all().stream().map(MemoryModel::name).toList();
    }

    /** The model of that name, if there is one. */
    public static Optional<MemoryModel> byName(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The model of that name.
     *
     * @throws IllegalArgumentException naming the allowed names when there is none
     */
    public static MemoryModel get(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException(
                "memory model must be one of " + names() + ", was '" + name + "'"));
    }
}
