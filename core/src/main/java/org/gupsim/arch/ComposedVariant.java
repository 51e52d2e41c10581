package org.gupsim.arch;

import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.Validate;
import org.gupsim.kernel.Kernel;
import org.gupsim.memmodel.Order;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.TableFreePolicy;
import org.gupsim.vm.HugetlbLeaves;
import org.gupsim.vm.Mm;

/**
 * A variant built from a {@link VariantRecipe}: everything about page tables and the address
 * space is its page-table variant's, the flush backend and the table-freeing policy are the
 * recipe's. A value: two with the same full name are equal.
 */
public final class ComposedVariant implements ArchVariant {
    private final Architecture architecture;
    private final VariantRecipe recipe;
    private final ArchVariant pageTables;
    private final String name;
    private final FlushBackend flush;
    private final TableFreePolicy tableFree;

    /**
     * @param architecture the architecture that names it
     * @param recipe       the recipe
     * @param pageTables   the recipe's page-table variant, with the options given
     * @param options      the options given, in the architecture's order
     */
    ComposedVariant(Architecture architecture, VariantRecipe recipe, ArchVariant pageTables, List<String> options) {
        Validate.isTrue(architecture != null && recipe != null && pageTables != null,
                "architecture, recipe and pageTables must not be null");
        this.architecture = architecture;
        this.recipe = recipe;
        this.pageTables = pageTables;
        this.name = new VariantSpec(recipe.name(), options).name();
        this.flush = recipe.flush().get();
        this.tableFree = recipe.tableFree().get();
        Validate.validState(flush != null && tableFree != null,
                "variant '%s' of %s: its recipe made a null backend", recipe.name(), recipe.arch());
    }

    public VariantRecipe recipe() {
        return recipe;
    }

    /** The variant whose page tables this one takes. */
    public ArchVariant pageTables() {
        return pageTables;
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FlushBackend flushBackend() {
        return flush;
    }

    @Override
    public TableFreePolicy tableFreePolicy() {
        return tableFree;
    }

    /** Where the page tables do not exist, neither does this; else as the recipe says. */
    @Override
    public Optional<String> unavailableOn(Kernel kernel) {
        Optional<String> tables = pageTables.unavailableOn(kernel);
        return tables.isPresent() ? tables : recipe.availability().unavailableOn(kernel);
    }

    @Override
    public List<String> pageSizeNames() {
        return pageTables.pageSizeNames();
    }

    @Override
    public int pageShift() {
        return pageTables.pageShift();
    }

    @Override
    public Geometry newMmGeometry() {
        return pageTables.newMmGeometry();
    }

    @Override
    public EntryFormat entryFormat() {
        return pageTables.entryFormat();
    }

    @Override
    public int[] fragmentsPerPage() {
        return pageTables.fragmentsPerPage();
    }

    @Override
    public long taskSizeMax() {
        return pageTables.taskSizeMax();
    }

    @Override
    public long mmapBase() {
        return pageTables.mmapBase();
    }

    @Override
    public long[] hugePageSizes() {
        return pageTables.hugePageSizes();
    }

    @Override
    public int maxPageOrder() {
        return pageTables.maxPageOrder();
    }

    @Override
    public HugetlbLeaves hugetlbLeaves(Geometry g, int shift) {
        return pageTables.hugetlbLeaves(g, shift);
    }

    @Override
    public long archMakeHugePte(Level level, long entry, int shift) {
        return pageTables.archMakeHugePte(level, entry, shift);
    }

    @Override
    public Order ptepGetAndClearOrder() {
        return pageTables.ptepGetAndClearOrder();
    }

    @Override
    public int archEnsureAddressLimit(Mm mm, long end) {
        return pageTables.archEnsureAddressLimit(mm, end);
    }

    @Override
    public boolean pmdpCollapseFlushSerializes() {
        return pageTables.pmdpCollapseFlushSerializes();
    }

    @Override
    public void pgtableTransHugeDeposit(PageTable pmdTable, PageTable pgtable) {
        pageTables.pgtableTransHugeDeposit(pmdTable, pgtable);
    }

    @Override
    public PageTable pgtableTransHugeWithdraw(PageTable pmdTable) {
        return pageTables.pgtableTransHugeWithdraw(pmdTable);
    }

    @Override
    public boolean archSupportsPtReclaim() {
        return pageTables.archSupportsPtReclaim();
    }

    @Override
    public boolean haveArchTlbRemoveTable() {
        return pageTables.haveArchTlbRemoveTable();
    }

    @Override
    public boolean haveGupFast() {
        return pageTables.haveGupFast();
    }

    @Override
    public boolean archMakeFolioAccessible(Folio folio) {
        return pageTables.archMakeFolioAccessible(folio);
    }

    @Override
    public FoldedOffset foldedOffset(Geometry g) {
        return pageTables.foldedOffset(g);
    }

    @Override
    public FoldedOffset foldedOffsetLockless(Geometry g, Kernel kernel) {
        return pageTables.foldedOffsetLockless(g, kernel);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComposedVariant v && v.fullName().equals(fullName());
    }

    @Override
    public int hashCode() {
        return fullName().hashCode();
    }

    @Override
    public String toString() {
        return fullName();
    }
}
