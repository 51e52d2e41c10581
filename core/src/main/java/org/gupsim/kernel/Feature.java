package org.gupsim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A typed key for one behaviour that differs between kernels, with its history: the values it
 * has had in mainline, each from the release that brought it, and the values only a posting or
 * a patch had. Declare one as a constant of a {@link FeatureProvider} in the package whose code
 * reads it, so that listings show it:
 *
 * <pre>{@code
 * public static final Feature<Boolean> PTE_OFFSET_MAP_RCU = Feature.builder("pte-offset-map-rcu", Boolean.class,
 *                 "whether pte_offset_map() holds rcu_read_lock() over GUP-fast's per-PTE checks")
 *         .initially("no", false, "pte_offset_map() takes no lock", "before a349d72fd9ef")
 *         .from("6.6", "yes", true, "pte_offset_map() takes rcu_read_lock()", "a349d72fd9ef")
 *         .build();
 * }</pre>
 *
 * <p>Two features are the same only if they are the same object; names must differ
 * ({@link KernelCatalogue} refuses two features of one name).
 *
 * @param <T> the type of its values
 */
public final class Feature<T> {
    /** How many features have been built: each one's {@link #serial}. */
    private static final AtomicLong BUILT = new AtomicLong();

    private final String name;
    private final Class<T> type;
    private final String description;
    private final List<FeatureValue<T>> values;
    /**
     * The last release {@link #valueAt} was asked about, with its answer. Every execution of an
     * exploration boots a fresh machine whose code reads its kernel's features again, always for
     * the same release, so one remembered answer spares the scan (and its iterator and
     * comparator calls) almost every time. A stale pair is only ever replaced, never wrong:
     * values are immutable.
     */
    private volatile Answer<T> last;
    /**
     * The order it was built in: within one class, the order of the class's static initialisers
     * (JLS 12.4.2: textual order), which {@link FeatureProvider#features()} lists them in.
     */
    private final long serial;

    /** A release and the value in force at it. */
    private record Answer<T>(Release release, FeatureValue<T> value) {
    }

    private Feature(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.description = b.description;
        this.values = List.copyOf(b.values);
        this.serial = BUILT.getAndIncrement();
    }

    /** The order this feature was built in; see {@link FeatureProvider#features()}. */
    long serial() {
        return serial;
    }

    /**
     * Starts a feature.
     *
     * @param name        lower-case words joined by {@code -}, e.g. {@code pte-offset-map-rcu}
     * @param type        the type of its values
     * @param description one line saying what it decides
     */
    public static <T> Builder<T> builder(String name, Class<T> type, String description) {
        return new Builder<>(name, type, description);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** Every value declared, mainline ones in release order first, then the others. */
    public List<FeatureValue<T>> values() {
        return values;
    }

    /** The value in force in mainline release {@code release}: the latest one from it or before. */
    public FeatureValue<T> valueAt(Release release) {
        Args.notNull(release, "release");
        Answer<T> a = last;
        if (a != null && a.release.equals(release)) {
            return a.value;
        }
        FeatureValue<T> at = null;
        for (FeatureValue<T> v : values) {
            if (v.mainline() && v.since().compareTo(release) <= 0) {
                at = v;
            }
        }
        last = new Answer<>(release, at);
        return at;
    }

    /**
     * The declared value called {@code valueName}.
     *
     * @throws IllegalArgumentException naming the values there are
     */
    public FeatureValue<T> value(String valueName) {
        for (FeatureValue<T> v : values) {
            if (v.name().equals(valueName)) {
                return v;
            }
        }
        throw new IllegalArgumentException("feature " + name + " has no value '" + valueName + "' (it has "
                + values.stream().map(FeatureValue::name).toList() + ")");
    }

    /** The declared value equal to {@code value}, if there is one (null otherwise). */
    public FeatureValue<T> declared(T value) {
        for (FeatureValue<T> v : values) {
            if (v.value().equals(value)) {
                return v;
            }
        }
        return null;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a {@link Feature}: the initial value first, then mainline changes in release order. */
    public static final class Builder<T> {
        private final String name;
        private final Class<T> type;
        private final String description;
        private final List<FeatureValue<T>> values = new ArrayList<>();
        private Release last;

        private Builder(String name, Class<T> type, String description) {
            Validate.isTrue(name != null && name.matches("[a-z0-9]+(-[a-z0-9]+)*"),
                    "feature name must be lower-case words joined by '-', was '%s'", name);
            Validate.notBlank(description, "description must not be blank");
            this.name = name;
            this.type = Args.notNull(type, "type");
            this.description = description;
        }

        /** The value the feature has before any change the model follows. */
        public Builder<T> initially(String valueName, T value, String what, String source) {
            Validate.validState(last == null, "feature %s: initially() comes first, once", name);
            last = Release.INITIAL;
            return add(new FeatureValue<>(valueName, value, what, source, Release.INITIAL));
        }

        /** The value mainline has from {@code release} on ({@code 6.6}), brought by {@code source}. */
        public Builder<T> from(String release, String valueName, T value, String what, String source) {
            Release r = Release.parse(release);
            Validate.validState(last != null, "feature %s: initially() comes before from()", name);
            Validate.isTrue(r.compareTo(last) > 0, "feature %s: releases must increase, %s after %s", name, r, last);
            last = r;
            return add(new FeatureValue<>(valueName, value, what, source, r));
        }

        /** A value no mainline release had: a posting's, or one a patch sets. */
        public Builder<T> offMainline(String valueName, T value, String what, String source) {
            return add(new FeatureValue<>(valueName, value, what, source, null));
        }

        private Builder<T> add(FeatureValue<T> v) {
            Validate.isTrue(type.isInstance(v.value()), "feature %s: value %s is not a %s", name, v.name(),
                    type.getSimpleName());
            for (FeatureValue<T> o : values) {
                Validate.isTrue(!o.name().equals(v.name()), "feature %s: two values are called %s", name, v.name());
            }
            values.add(v);
            return this;
        }

        public Feature<T> build() {
            Validate.validState(last != null, "feature %s needs an initial value", name);
            return new Feature<>(this);
        }
    }
}
