package org.gupsim.mm;

/** A tail page of a large folio. */
public final class TailPage extends Page {
    private Folio head;

    TailPage(int pfn, Folio head) {
        super(pfn);
        this.head = head;
    }

    @Override
    public Folio folio() {
        return head;
    }

    /** Used when a large folio is split: the page then heads a folio of its own. */
    void setHead(Folio newHead) {
        this.head = newHead;
    }
}
