package org.gupsim.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gupsim.sched.Sched;
import org.junit.jupiter.api.Test;

/** The allocator's largest order is the machine's, given when it is built. */
class PhysMemTest {

    @Test
    void servesEveryOrderUpToItsMaximumAndRefusesLarger() {
        // 4 GiB of 4K frames and the order of a 2G page (s390's region-third page).
        PhysMem mem = new PhysMem(MemConfig.ofBytes(12, 4L << 30), new Sched(), 19);
        assertEquals(19, mem.maxOrder());
        Folio big = mem.allocFolio(19, Gfp.HIGHUSER);
        assertNotNull(big);
        assertEquals(19, big.order());
        assertEquals(big, mem.pfnToPage(big.pfn() + (1 << 19) - 1).folio(), "the last subpage belongs to it");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mem.allocFolio(20, Gfp.HIGHUSER));
        assertTrue(e.getMessage().contains("order must be between 0 and 19, was 20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mem.allocFolio(-1, Gfp.HIGHUSER));
    }

    @Test
    void anOrderTheMachineHasNoRoomForIsOutOfMemoryNotMisuse() {
        PhysMem mem = new PhysMem(MemConfig.ofBytes(12, 64L << 20), new Sched(), 19);
        assertNull(mem.allocFolio(19, Gfp.HIGHUSER), "2G does not fit 64 MiB");
    }

    @Test
    void theMaximumMustKeepAFolioWithinAnInt() {
        MemConfig c = MemConfig.ofBytes(12, 64L << 20);
        assertThrows(IllegalArgumentException.class, () -> new PhysMem(c, new Sched(), PhysMem.MAX_ORDER_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> new PhysMem(c, new Sched(), -1));
    }
}
