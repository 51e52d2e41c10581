package org.gupsim.cli.userjar;

import java.util.List;
import org.gupsim.gup.GupFeatures;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** A user's provider that takes a name gupsim's own patches have (put on --classpath by the CLI tests). */
public final class DuplicatePatches implements PatchProvider {
    @Override
    public List<Patch> patches() {
        return List.of(Patch.builder("no-irq-disable").description("a second patch of that name")
                .undoes("a test").set(GupFeatures.IRQ_DISABLE, false).build());
    }
}
