package org.gupsim.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --patch P[+P...]} and its older spelling {@code --mutant}, the same on every command:
 * one flag names one patch or several joined by {@code +} (or {@code ,}, as {@code --mutant} of
 * explore and replay took them). Explore, replay and pin apply every flag's patches together;
 * compare makes each flag one patch set of its axis, {@code none} the set without patches.
 */
final class PatchArgs {
    /** Both spellings, the new one first. */
    static final String[] NAMES = {"--patch", "--mutant"};

    private PatchArgs() {
    }

    /**
     * The patches one flag value names.
     *
     * @param allowNone whether {@code none} (alone) may name the empty set
     * @throws UsageException naming the flag, the bad name and the patches there are
     */
    static List<Patch> parse(String flag, String value, boolean allowNone) {
        KernelCatalogue catalogue = KernelCatalogue.get();
        String allowed = (allowNone ? "none, " : "") + String.join(", ", catalogue.patchNames())
                + "; join several with +";
        if (allowNone && value.equals("none")) {
            return List.of();
        }
        List<String> names = List.of(value.split("[+,]", -1));
        List<Patch> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals("none") && allowNone) {
                throw new UsageException(flag + " " + value + ": none cannot be combined with patches (give " + flag
                        + " none on its own for a set without patches)");
            }
            try {
                out.add(catalogue.patch(name));
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " " + (names.size() == 1 ? "" : value + ": ")
                        + (name.isEmpty() ? "'' (an empty name)" : name) + " is not known (allowed: " + allowed + ")");
            }
        }
        return out;
    }

    /**
     * {@code kernel} with {@code patches}.
     *
     * @throws UsageException naming the flag, when a patch does not apply or two set one feature differently
     */
    static Kernel apply(String flag, Kernel kernel, List<Patch> patches) {
        try {
            return kernel.with(patches);
        } catch (PatchException e) {
            throw new UsageException(flag + " " + e.patch() + ": " + e.getMessage());
        }
    }

    /**
     * Which spelling gave {@code value} on the command line: the flag right before it (or
     * {@code --patch=value}), {@code --patch} if it cannot tell.
     */
    static String flagOf(CommandSpec command, String value) {
        List<String> args = command.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < args.size(); i++) {
            for (String name : NAMES) {
                if ((args.get(i).equals(name) && i + 1 < args.size() && args.get(i + 1).equals(value))
                        || args.get(i).equals(name + "=" + value)) {
                    return name;
                }
            }
        }
        return NAMES[0];
    }

    /** For picocli's help and error messages: the patch names. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KernelCatalogue.get().patchNames().iterator();
        }
    }
}
