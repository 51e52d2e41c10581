package org.gupsim.report;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Release;

/**
 * Where a reader finds the source of a kernel function a trace names: the identifier search of
 * the Bootlin Elixir cross-referencer at the mainline release the cell's kernel has the features
 * of ({@link Kernel#release()}; a posting links to the release it was based on, which is where its
 * patches applied). Elixir was chosen because its URLs name the release and the identifier and
 * have stayed the same for years, and its identifier search finds functions and macros alike
 * ({@code local_irq_save} is a macro), so a name links without knowing which file defines it.
 *
 * <p>A link is only a link: the report loads nothing from it and reads the same offline.
 *
 * @param release the release whose source to show
 */
public record KernelSource(Release release) {
    /** The cross-referencer's root; a link is {@code ROOT + "v6.5/C/ident/gup_fast_pte_range"}. */
    public static final String ROOT = "https://elixir.bootlin.com/linux/";

    /** A step's function: a C identifier, optionally followed by what the step is about in parentheses. */
    private static final Pattern STEP_FUNCTION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\(.*\\))?");
    /**
     * Step names the model gives that are not kernel identifiers: {@code wait} is a wait whose
     * object is unknown; {@code rcu_gp_wait} is the RCU grace-period kthread's wait for a grace
     * period to end, which the kernel does in {@code rcu_gp_kthread()} through helpers of other names.
     */
    private static final Set<String> NOT_KERNEL = Set.of("wait", "rcu_gp_wait");

    public KernelSource {
        Validate.isTrue(release != null, "release must not be null");
        Validate.isTrue(release.major() >= 2, "release must be a Linux release (2.0 or later), was %s", release);
    }

    /** The source of {@code kernel}'s release. */
    public static KernelSource of(Kernel kernel) {
        Validate.isTrue(kernel != null, "kernel must not be null");
        return new KernelSource(kernel.release());
    }

    /** The release's tag as the cross-referencer names it: {@code v6.5}. */
    public String tag() {
        return "v" + release.major() + "." + release.minor();
    }

    /**
     * The kernel identifier a step's function name stands for: {@code gup_fast_pte_range} for
     * {@code gup_fast_pte_range} and for {@code gup_fast_pte_range(recheck pmd)}; empty for a name
     * that is none ({@code wait}).
     */
    public static Optional<String> identifier(String function) {
        if (function == null) {
            return Optional.empty();
        }
        Matcher m = STEP_FUNCTION.matcher(function);
        if (!m.matches() || NOT_KERNEL.contains(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }

    /** The link to the source of the identifier {@code function} names ({@link #identifier}), if it names one. */
    public Optional<String> url(String function) {
        return identifier(function).map(id -> ROOT + tag() + "/C/ident/" + id);
    }
}
