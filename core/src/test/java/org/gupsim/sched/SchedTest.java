package org.gupsim.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The seam in direct mode, with no explorer attached. */
class SchedTest {

    @Test
    void directModeWaitsOnceAndReportsADeadlock() {
        Sched direct = new Sched();
        assertFalse(direct.explored());
        direct.waitUntil(new Object(), -1, Access.ACQUIRE, "spin_lock", () -> true, "ptl");
        KernelBugException e = assertThrows(KernelBugException.class,
                () -> direct.waitUntil(() -> false, "ptl held by CPU1"));
        assertEquals(new Violation(ViolationKind.DEADLOCK,
                "no CPU can make progress: the running CPU waits for ptl held by CPU1"), e.violation());
    }

    @Test
    void directModeThrowsAReportedViolation() {
        Sched direct = new Sched();
        Violation v = Violation.useAfterFree(Violation.FOLIO, "folio(pfn=3) read after free");
        assertEquals(v, assertThrows(KernelBugException.class, () -> direct.report(v)).violation());
    }
}
