package com.example.gupsim;

import java.util.List;
import org.gupsim.fs.AddressSpace;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupFastFolioCheck;
import org.gupsim.gup.GupFastPrimitives;
import org.gupsim.gup.GupFeatures;
import org.gupsim.gup.KernelFolioChecks;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;
import org.gupsim.mm.Folio;

/** The long-term write-pin check before the PTE recheck, as the v6 posting ran it, without its rcu_read_lock(); secretmem folded in as 6.10 did. */
public final class V6CheckWithoutRcu implements PatchProvider {
    private static final int LONGTERM_WRITE = Foll.LONGTERM.bit() | Foll.WRITE.bit();
    /** Secretmem never; for long-term write pins anonymous, hugetlb and shmem only. folio->mapping is read once; only IRQs off keep it alive. */
    static final GupFastFolioCheck CHECK = new GupFastFolioCheck() {
        public String name() { return "folio_longterm_write_pin_allowed"; }
        public Placement placement() { return Placement.BEFORE_RECHECK; } // v6: inside try_grab_folio(), FOLL_PIN only
        public boolean allowed(Folio folio, int gupFlags, GupFastPrimitives k) {
            boolean longtermWrite = (gupFlags & LONGTERM_WRITE) == LONGTERM_WRITE;
            if (k.folioTestHugetlb(folio) || (!longtermWrite && k.folioTestLarge(folio))) {
                return true;                                   // secretmem folios are order-0
            }
            var m = k.readOnceMapping(folio);                  // READ_ONCE(folio->mapping)
            AddressSpace mapping = GupFastPrimitives.addressSpace(m);
            if (mapping == null) {                             // anonymous, or truncated under us
                return GupFastPrimitives.mappingAnon(m) || !longtermWrite;
            }
            return !k.secretmemMapping(mapping) && (!longtermWrite || k.shmemMapping(mapping));
        }
    };
    @Override
    public List<Patch> patches() {
        return List.of(Patch.builder("v6-check-without-rcu").adds("the v6 posting's placement, without stabilise_mapping_rcu()")
                .description("GUP-fast checks folios right after the grab, before the PTE recheck, without rcu_read_lock()")
                .set(GupFeatures.FOLIO_CHECK, CHECK).set(GupFeatures.SECRETMEM_CHECK, KernelFolioChecks.NONE).build());
    }
}
