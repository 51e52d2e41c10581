package org.gupsim.pgtable;

import java.util.function.LongUnaryOperator;
import org.gupsim.memmodel.Order;
import org.gupsim.pgtable.internal.PgtableInternals;

/** The package-private stores of {@link PageTable} and {@link PageTables}, handed to {@link PgtableInternals} once. */
final class PgtableAccess implements PgtableInternals.Access {

    @Override
    public void write(PageTable table, int index, long value, String function) {
        table.write(index, value, function);
    }

    @Override
    public long getAndClear(PageTable table, int index, Order order, String function) {
        return table.getAndClear(index, order, function);
    }

    @Override
    public long getAndUpdate(PageTable table, int index, LongUnaryOperator update, String function) {
        return table.getAndUpdate(index, update, function);
    }

    @Override
    public void depositHugePte(PageTable pmdTable, PageTable pgtable) {
        pmdTable.depositHugePte(pgtable);
    }

    @Override
    public PageTable withdrawHugePte(PageTable pmdTable) {
        return pmdTable.withdrawHugePte();
    }

    @Override
    public PageTable allocTable(PageTables tables, Level level, long vaddrBase) {
        return tables.allocTable(level, vaddrBase);
    }

    @Override
    public void replaceRoot(PageTables tables, PageTable newRoot, Geometry newGeometry) {
        tables.replaceRoot(newRoot, newGeometry);
    }

    @Override
    public void setOwnerId(PageTables tables, int id) {
        tables.setOwnerId(id);
    }
}
