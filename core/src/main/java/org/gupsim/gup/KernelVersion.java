package org.gupsim.gup;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureValue;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.Preset;
import org.gupsim.kernel.Release;
import org.gupsim.kernel.Setting;

/**
 * The kernel labels users type, as presets of features ({@link Preset}): a mainline release has
 * every feature's value of its release; the two postings of the 2023 series that became the
 * file-backed long-term write-pin rule are 6.4 plus the values they posted
 * ({@link GupFeatures#FOLIO_CHECK}, {@link GupFeatures#SLOW_FILE_CHECK}). What changed from
 * the label before is derived from the features ({@link Kernel#changesFrom}). Releases without a
 * label (6.6, 6.9, 6.11, 6.14) are where features change, named by what they do.
 *
 * <p>Where the posted patches and the spec page disagreed, the patches as posted win
 * (spec/kernel-semantics.md §0).
 */
public enum KernelVersion implements Kernel {
    /** Before the series: no file-backed check on either path. */
    V6_4("6.4", "6.4", "before the file-backed long-term write-pin rule", null),
    /**
     * The seed, posted 2 May 2023: fast check inside {@code try_grab_folio()} before the PTE
     * recheck, mapping stabilised by a double read under {@code rcu_read_lock()} where tables are
     * RCU-freed; slow check {@code writeable_file_mapping_allowed()} returning
     * {@code vma_needs_dirty_tracking()} without the negation (reviewers caught it), and that
     * helper not yet looking at VM_SHARED.
     */
    V6_PATCH("v6-patch", "6.4", "6.4 with v6 of the series as posted on 2 May 2023 (the seed)", "6.4"),
    /**
     * v7 of the series: RCU stabilisation dropped; slow check negated correctly but applied when
     * either FOLL_PIN or FOLL_LONGTERM is set, and still without the VM_SHARED test, so private file
     * mappings failed in {@code vfio_pin_pages_remote()} (spec §7 table).
     */
    V7_PATCH("v7-patch", "6.4", "6.4 with v7 of the series as posted", "v6-patch"),
    /** Merged (a6e79df92e4a, 8ac268436e6d): {@code folio_fast_pin_allowed()} after the recheck. */
    V6_5("6.5", "6.5", "the series merged (v9)", "6.4"),
    /**
     * f002882ca369: secretmem folded into {@code gup_fast_folio_allowed()}. v6.10 as released:
     * arm64's fix of GUP-fast through a run-time folded PUD (36639013b346) came in v6.11-rc1 and
     * reached stable only in 6.10.3.
     */
    V6_10("6.10", "6.10", "v6.10 as released", "6.5"),
    /** a37259732a7d: x86 always frees tables through RCU; fsdax folios not long-term pinnable. */
    V6_15("6.15", "6.15", "v6.15", "6.10"),
    /**
     * 7.2, released 2026-08-16: the first mainline release with every 2026 fix of KVM's s390 PCI
     * adapter-interrupt forwarding (arch/s390/kvm/pci.c; merged for 7.1-rc3 and 7.2-rc3 to rc5, see
     * the s390 module's {@code AifCode}). Its GUP rules are taken to be the 6.10 ones (with 6.15's
     * fsdax and x86 table-freeing changes): the model's mm/gup.c was read from a 6.18 tree and
     * 7.2's was not re-read, so that part is UNCONFIRMED.
     */
    V7_2("7.2", "7.2", "v7.2, released 2026-08-16", "6.15"),
    /**
     * The newest mainline release the model follows, the default: today 7.2, the same kernel as
     * {@link #V7_2} (which keeps naming it when this moves on). Before 7.2 was added this label
     * meant 6.18, whose pci.c predates the 2026 fixes. 7.3 and later are not modelled.
     */
    LATEST("latest", "7.2", "the newest release the model follows: today 7.2", "7.2");

    private final String label;
    private final Release release;
    private final String description;
    private final String previous;
    /** Built on first use, so that features contributed by other modules are never read early. */
    private volatile Preset preset;

    KernelVersion(String label, String release, String description, String previous) {
        this.label = label;
        this.release = Release.parse(release);
        this.description = description;
        this.previous = previous;
    }

    /** The name users type: {@code 6.4}, {@code v6-patch}, {@code latest}. */
    @Override
    public String label() {
        return label;
    }

    /** The mainline release whose features it has (a posting: the release it was based on). */
    @Override
    public Release release() {
        return release;
    }

    /** One line: what the label stands for. */
    public String description() {
        return description;
    }

    /** The label compared with in listings (the release or posting before), if there is one. */
    public Optional<KernelVersion> previous() {
        return previous == null ? Optional.empty() : Optional.of(parse(previous));
    }

    /** This label as a {@link Preset}: its release and what it sets itself. */
    public Preset preset() {
        Preset p = preset;
        if (p == null) {
            p = new Preset(label, release, description, sets(), previous().map(KernelVersion::preset).orElse(null));
            preset = p;
        }
        return p;
    }

    /** What a posting sets besides its release's values. */
    private List<Setting<?>> sets() {
        return switch (this) {
            case V6_PATCH -> List.of(posted(GupFeatures.FOLIO_CHECK, "v6-try-grab-rcu"),
                    posted(GupFeatures.SLOW_FILE_CHECK, "v6-inverted"));
            case V7_PATCH -> List.of(posted(GupFeatures.FOLIO_CHECK, "v7-try-grab"),
                    posted(GupFeatures.SLOW_FILE_CHECK, "v7-pin-or-longterm"));
            default -> List.of();
        };
    }

    private static <T> Setting<T> posted(Feature<T> f, String value) {
        return new Setting<>(f, f.value(value));
    }

    @Override
    public <T> FeatureValue<T> setting(Feature<T> feature) {
        return preset().setting(feature);
    }

    /** Every label, for error messages and listings. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(KernelVersion::label).toList();
    }

    /**
     * Parses a label.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static KernelVersion parse(String label) {
        for (KernelVersion k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kernel must be one of " + labels() + ", was '" + label + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
