package org.gupsim.gup;

import org.gupsim.mm.Page;
import org.gupsim.vm.Mm;

/** The state of one GUP call: allocated once per call, never per page. */
final class GupCall {
    final Mm mm;
    int flags;
    final Page[] pages;
    int pagesOff;
    int nr;
    String reason;
    boolean slowRan;
    int fastPinned;

    GupCall(Mm mm, int flags, Page[] pages, int pagesOff) {
        this.mm = mm;
        this.flags = flags;
        this.pages = pages;
        this.pagesOff = pagesOff;
    }

    boolean has(Foll f) {
        return (flags & f.bit()) != 0;
    }

    /** Records why the call stopped, keeping the first reason. */
    void stop(String why) {
        if (reason == null) {
            reason = why;
        }
    }
}
