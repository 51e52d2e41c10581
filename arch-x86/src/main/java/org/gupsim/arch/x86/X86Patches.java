package org.gupsim.arch.x86;

import java.util.List;
import java.util.Optional;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to arch/x86: series posted but not in a release the model labels. */
public final class X86Patches implements PatchProvider {
    /**
     * Intel RAR as posted: the {@code x86_64:rar} variant (a CPU with RAR) exists only on a kernel
     * with this patch. It needs global ASIDs, which RAR reuses, so it applies from 6.15 on.
     */
    public static final Patch INTEL_RAR = Patch.builder("intel-rar")
            .description("x86 flushes user TLBs with Intel RAR: targeted to mm_cpumask by microcode, no IPI "
                    + "(posted series, not merged)")
            .adds("\"x86/mm: Intel RAR\" (Rik van Riel, RFC series posted May 2025)")
            .set(X86Features.INTEL_RAR, true)
            .appliesOnlyIf(k -> k.get(X86Features.GLOBAL_ASIDS) ? Optional.empty()
                    : Optional.of("the series builds on the global ASIDs of INVLPGB support, merged for 6.15"))
            .build();

    @Override
    public List<Patch> patches() {
        return List.of(INTEL_RAR);
    }
}
