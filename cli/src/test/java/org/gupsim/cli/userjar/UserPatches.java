package org.gupsim.cli.userjar;

import java.util.List;
import java.util.Optional;
import org.gupsim.gup.GupFeatures;
import org.gupsim.gup.KernelFolioChecks;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/**
 * Patches as a user's jar would contribute them. Not registered in this module's services: the
 * CLI tests put a jar on --classpath whose META-INF/services names this class.
 */
public final class UserPatches implements PatchProvider {
    @Override
    public List<Patch> patches() {
        return List.of(
                Patch.builder("user-v7-check").description("the v7 posting's GUP-fast check on any kernel")
                        .adds("v7 posting").set(GupFeatures.FOLIO_CHECK, KernelFolioChecks.V7_TRY_GRAB).build(),
                Patch.builder("user-no-check").description("no GUP-fast folio check at all")
                        .undoes("a6e79df92e4a").set(GupFeatures.FOLIO_CHECK, KernelFolioChecks.NONE).build(),
                Patch.builder("user-only-6-5").description("a change to code only 6.5 had")
                        .adds("a test").set(GupFeatures.PTE_RECHECK, false)
                        .appliesOnlyIf(k -> k.label().equals("6.5") ? Optional.empty()
                                : Optional.of("it changes code only 6.5 has"))
                        .build());
    }
}
