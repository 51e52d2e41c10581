package org.gupsim.check;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/** Properties of the pins a GUP call returned. */
public final class PinChecks {
    private PinChecks() {
    }

    /**
     * A long-term write pin must not sit on a folio of a dirty-tracked file (ext4, xfs, btrfs):
     * writeback will clean and write-protect the page while the device keeps writing to it, and a
     * later {@code set_page_dirty()} on unpin dirties it behind the filesystem's back (the bug
     * class the 2023 series closed).
     */
    public static List<Violation> longtermWritePins(Page[] pages, int n) {
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (pages[i] == null) {
                continue;
            }
            Folio f = pages[i].folio();
            if (f.mapping() instanceof AddressSpace as && as.host().fs().type().dirtyTracked()) {
                out.add(new Violation(ViolationKind.LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED,
                        "long-term write pin on " + f + " of " + as.host() + ", a dirty-tracked file"));
            }
        }
        return out;
    }
}
