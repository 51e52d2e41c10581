package org.gupsim.arch.s390.kvm;

/**
 * One guest adapter interruption table entry ({@code struct zpci_gaite}, 16 bytes): where the
 * firmware finds the guest's summary bit, which GISA to alert (0: the host), the guest ISC and how
 * many devices share the entry.
 */
public final class Gaite {
    /** {@code sizeof(struct zpci_gaite)}. */
    public static final int SIZE = 16;

    private final int index;
    long gisa;
    int gisc;
    int count;
    int aisbo;
    /** Host physical address of the guest's summary bit, 0 when there is none. */
    long aisb;

    Gaite(int index) {
        this.index = index;
    }

    public long gisa() {
        return gisa;
    }

    public int gisc() {
        return gisc;
    }

    public int count() {
        return count;
    }

    public long aisb() {
        return aisb;
    }

    /** Clears what identifies the entry's guest (the count is the caller's). */
    void clearFields() {
        aisb = 0;
        gisc = 0;
        aisbo = 0;
        gisa = 0;
    }

    public int aisbo() {
        return aisbo;
    }

    /** All fields zero. */
    public boolean clear() {
        return gisa == 0 && gisc == 0 && count == 0 && aisbo == 0 && aisb == 0;
    }

    @Override
    public String toString() {
        return "gaite[" + index + "]";
    }
}
