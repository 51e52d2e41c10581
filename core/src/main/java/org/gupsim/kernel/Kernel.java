package org.gupsim.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.commons.lang3.Validate;
import org.gupsim.util.Args;

/**
 * A kernel: an answer for every {@link Feature}. A {@link Preset} (a release label such as
 * {@code 6.5} or {@code v6-patch}) answers from its release and what it sets itself; a kernel
 * with patches ({@link #with}) answers from the patches first. Code that behaves differently
 * between kernels reads a feature, {@code kernel.get(VmFeatures.PTE_OFFSET_MAP_RCU)}, never a
 * release number.
 */
public interface Kernel {

    /** The label of the preset it starts from: {@code 6.5}, {@code v6-patch}, {@code latest}. */
    String label();

    /** The mainline release whose features it has (a posting: the release it was based on). */
    Release release();

    /** The preset without patches: itself, unless patches were applied ({@link #with}). */
    default Kernel base() {
        return this;
    }

    /** The patches applied to {@link #base()}, sorted by name: none, unless patches were applied. */
    default List<Patch> patches() {
        return List.of();
    }

    /** The value this kernel gives {@code feature}, with where it comes from. */
    <T> FeatureValue<T> setting(Feature<T> feature);

    /** The value this kernel gives {@code feature}. */
    default <T> T get(Feature<T> feature) {
        return setting(feature).value();
    }

    /**
     * This kernel with {@code more} patches added (the preset itself if there are none).
     *
     * @throws PatchException if a patch does not apply to the preset, or two set one feature differently
     */
    default Kernel with(Patch... more) {
        Validate.isTrue(more != null, "patches must not be null");
        return with(Arrays.asList(more));
    }

    /**
     * This kernel with {@code more} patches added (the preset itself if there are none). A patch
     * given twice counts once.
     *
     * @throws PatchException           if a patch does not apply to the preset, or two set one feature differently
     * @throws IllegalArgumentException if {@code more} is or holds null
     */
    default Kernel with(Collection<Patch> more) {
        Validate.isTrue(more != null, "patches must not be null");
        Validate.isTrue(more.stream().allMatch(Objects::nonNull), "patches must not contain null");
        List<Patch> all = new ArrayList<>(patches());
        all.addAll(more);
        return PatchedKernel.of(base(), all);
    }

    /**
     * The settings of {@code features} in which this kernel differs from {@code before}, in the
     * order given: what changed from one release to the next, derived from the features.
     */
    default List<Setting<?>> changesFrom(Kernel before, Collection<Feature<?>> features) {
        Args.notNull(before, "before");
        List<Setting<?>> out = new ArrayList<>();
        for (Feature<?> f : features) {
            Setting<?> now = settingOf(this, f);
            if (!now.sameValue(settingOf(before, f))) {
                out.add(now);
            }
        }
        return out;
    }

    /** The settings of {@code features} in this kernel, in the order given. */
    default List<Setting<?>> settings(Collection<Feature<?>> features) {
        return features.stream().<Setting<?>>map(f -> settingOf(this, f)).toList();
    }

    private static <T> Setting<T> settingOf(Kernel k, Feature<T> f) {
        return new Setting<>(f, k.setting(f));
    }
}
