package org.gupsim.mm;

/**
 * A {@code struct folio}: a power-of-two run of pages managed as one, starting at its head page.
 *
 * <p>Field layout is kept small on purpose: a resident 4K page costs this object, a {@code mem_map}
 * slot and its 8-byte entry in a page table, and the whole must stay within 64 bytes.
 * Reference counting follows the kernel: a page-cache or mapping reference each count 1,
 * {@code FOLL_GET} adds 1, {@code FOLL_PIN} adds {@link #GUP_PIN_COUNTING_BIAS} on a small folio
 * and 1 plus one {@code _pincount} on a large one.
 */
public non-sealed class Folio extends Page {
    // Layout: 12-byte header, pfn and page flags from Page, five ints here and two longs: 56 bytes.
    /** Mirrors {@code GUP_PIN_COUNTING_BIAS}. */
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    public static final int PG_LOCKED = 1;
    public static final int PG_REFERENCED = 1 << 1;
    public static final int PG_UPTODATE = 1 << 2;
    public static final int PG_DIRTY = 1 << 3;
    public static final int PG_LRU = 1 << 4;
    public static final int PG_ACTIVE = 1 << 5;
    public static final int PG_WRITEBACK = 1 << 6;
    public static final int PG_SLAB = 1 << 7;
    public static final int PG_SWAPBACKED = 1 << 8;
    public static final int PG_HUGETLB = 1 << 9;
    public static final int PG_MLOCKED = 1 << 10;
    /** Page type: a page-table page ({@code PageTable()}). */
    public static final int PG_PGTABLE = 1 << 11;
    /** ZONE_DEVICE coherent memory ({@code folio_is_device_coherent}). */
    public static final int PG_DEVICE_COHERENT = 1 << 12;
    /** ZONE_DEVICE PCI peer-to-peer memory ({@code is_pci_p2pdma_page}). */
    public static final int PG_P2PDMA = 1 << 13;
    /** ZONE_DEVICE fsdax memory. */
    public static final int PG_FSDAX = 1 << 14;
    /** Model-only: this is the shared zero page. */
    public static final int PG_ZERO = 1 << 15;
    /** Model-only: the folio has been freed back to the allocator. */
    public static final int PG_FREED = 1 << 16;
    /** Model-only: the folio was isolated from the LRU for migration. */
    public static final int PG_ISOLATED = 1 << 17;
    /** {@code PG_swapcache}: the folio sits in the swap cache at {@link #swap()}. */
    public static final int PG_SWAPCACHE = 1 << 18;

    /** The folio's order lives in the top bits of {@link #flags}, as the kernel keeps it in page flags. */
    private static final int ORDER_SHIFT = 24;
    private static final int ORDER_MASK = 0x1f << ORDER_SHIFT;

    /** {@link org.gupsim.sched.WeakCell} field: {@code folio->_refcount}. */
    public static final int FIELD_REFCOUNT = 1;
    /** {@link org.gupsim.sched.WeakCell} field: {@code folio->_pincount}. */
    public static final int FIELD_PINCOUNT = 2;

    private int flags;
    private int refcount;
    private int mapcount;
    private int pincount;
    private FolioMapping mapping;
    private long index;
    private long swap;

    protected Folio(int pfn, int order) {
        super(pfn);
        if (order < 0 || order > 31) {
            throw new IllegalArgumentException("order must be between 0 and 31, was " + order);
        }
        this.flags = order << ORDER_SHIFT;
    }

    @Override
    public final Folio folio() {
        return this;
    }

    /** Mirrors {@code folio_order()}. */
    public final int order() {
        return (flags & ORDER_MASK) >>> ORDER_SHIFT;
    }

    /** Mirrors {@code folio_nr_pages()}. */
    public final int nrPages() {
        return 1 << order();
    }

    /** Mirrors {@code folio_test_large()}. */
    public final boolean large() {
        return (flags & ORDER_MASK) != 0;
    }

    /** Whether {@code flag} (a {@code PG_*} bit) is set: {@code folio_test_*()}. */
    public final boolean test(int flag) {
        return (flags & flag) != 0;
    }

    /** {@code folio_set_*()}; the model's other packages call it through {@code MmInternals.setFlag}. */
    final void set(int flag) {
        flags |= flag & ~ORDER_MASK;
    }

    /** {@code folio_clear_*()}; through {@code MmInternals.clearFlag} from other packages. */
    final void clear(int flag) {
        flags &= ~(flag & ~ORDER_MASK);
    }

    /** The PG_* flags (the order bits masked out). */
    public final int flags() {
        return flags & ~ORDER_MASK;
    }

    /** Mirrors {@code folio_ref_count()}. */
    public final int refcount() {
        return refcount;
    }

    final void setRefcount(int value) {
        refcount = value;
    }

    /**
     * Mirrors {@code folio_mapcount()}: how many page-table entries map this folio; a hugetlb
     * folio is always mapped whole and counts each whole mapping once, however many entries it
     * takes (an arm64 contiguous group).
     */
    public final int mapcount() {
        return mapcount;
    }

    final void setMapcount(int value) {
        mapcount = value;
    }

    /** Mirrors {@code folio->_pincount}; always 0 for small folios. */
    public final int pincount() {
        return pincount;
    }

    final void setPincount(int value) {
        pincount = value;
    }

    /** Mirrors {@code folio->mapping} (a plain read; callers needing READ_ONCE go through PhysMem). */
    public final FolioMapping mapping() {
        return mapping;
    }

    /** {@code folio->mapping = m}; through {@code MmInternals.setMapping} from other packages. */
    final void setMapping(FolioMapping m) {
        mapping = m;
    }

    /**
     * Mirrors {@code folio->index}: the page offset in the file, or for anonymous memory the
     * linear page index (the virtual page number, up to 2^44), hence a long.
     */
    public final long index() {
        return index;
    }

    /** {@code folio->index = value}; through {@code MmInternals.setIndex} from other packages. */
    final void setIndex(long value) {
        index = value;
    }

    /**
     * Mirrors {@code folio->swap}: the swap slot (its offset in the one swap device modelled) of a
     * folio in the swap cache; 0 otherwise (slot 0 holds the swap header and is never used).
     */
    public final long swap() {
        return swap;
    }

    final void setSwap(long offset) {
        swap = offset;
    }

    /** Mirrors {@code folio_test_swapcache()}. */
    public final boolean swapcache() {
        return (flags & PG_SWAPCACHE) != 0;
    }

    /** Mirrors {@code folio_test_ksm()}: anonymous, with a KSM stable node as its mapping. */
    public final boolean ksm() {
        FolioMapping m = mapping;
        return m != null && (m.mappingFlags() & FolioMapping.PAGE_MAPPING_FLAGS) == FolioMapping.PAGE_MAPPING_KSM;
    }

    /** Mirrors {@code folio_test_anon()}: the mapping's low bit. */
    public final boolean anon() {
        FolioMapping m = mapping;
        return m != null && (m.mappingFlags() & FolioMapping.PAGE_MAPPING_ANON) != 0;
    }

    /** Mirrors {@code folio_test_hugetlb()}. */
    public final boolean hugetlb() {
        return (flags & PG_HUGETLB) != 0;
    }

    /** Mirrors {@code is_zero_folio()}. */
    public final boolean zero() {
        return (flags & PG_ZERO) != 0;
    }

    public final boolean freed() {
        return (flags & PG_FREED) != 0;
    }

    /** Mirrors {@code folio_test_dirty()}. */
    public final boolean dirty() {
        return (flags & PG_DIRTY) != 0;
    }

    /**
     * Mirrors {@code folio_maybe_dma_pinned()}: exact for large folios; for small ones a refcount
     * of at least {@link #GUP_PIN_COUNTING_BIAS} may be a false positive, but "false" is definite.
     */
    public final boolean maybeDmaPinned() {
        if (large()) {
            return pincount > 0;
        }
        return refcount >= GUP_PIN_COUNTING_BIAS;
    }

    /**
     * The counts GUP-fast and the unmappers race on are the folio's {@link org.gupsim.sched.WeakCell}
     * fields, besides the head page's flags: {@link #FIELD_REFCOUNT} and {@link #FIELD_PINCOUNT}.
     */
    @Override
    public final long weakValue(int field) {
        return switch (field) {
            case FIELD_REFCOUNT -> refcount;
            case FIELD_PINCOUNT -> pincount;
            default -> super.weakValue(field);
        };
    }

    @Override
    public final void setWeakValue(int field, long value) {
        switch (field) {
            case FIELD_REFCOUNT -> refcount = (int) value;
            case FIELD_PINCOUNT -> pincount = (int) value;
            default -> super.setWeakValue(field, value);
        }
    }

    @Override
    public final Merge weakMerge(int field) {
        return field == FIELD_REFCOUNT || field == FIELD_PINCOUNT ? Merge.ADD : super.weakMerge(field);
    }

    /** Mirrors {@code folio_page(folio, n)}. */
    public final Page page(PhysMem mem, int n) {
        return n == 0 ? this : mem.pfnToPage(pfn() + n);
    }

    @Override
    public String toString() {
        return "folio(pfn=" + pfn() + (large() ? ", order=" + order() : "") + ")";
    }
}
