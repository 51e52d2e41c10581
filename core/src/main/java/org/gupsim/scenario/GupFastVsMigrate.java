package org.gupsim.scenario;

import java.util.List;
import org.gupsim.mm.Folio;
import org.gupsim.vm.Migrate;

/**
 * CPU0 pins private anonymous memory with {@code pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)}
 * and holds the pins; CPU1 migrates the pages, as compaction does (a racy skip of pinned-looking
 * anonymous folios, then an asynchronous {@code migrate_pages()}: isolate, {@code try_to_migrate()}
 * to migration entries, check the references, move, map the new pages). A pinned page must not
 * move (the pin-lost check): {@code try_to_migrate_one()} refuses
 * to make a maybe-pinned exclusive page shared, and {@code __migrate_folio()} refuses a folio with
 * more references than the migration's own; a GUP-fast that grabbed the page before its PTE
 * became a migration entry either still holds its reference (the check fails) or saw the entry
 * change and let go.
 */
final class GupFastVsMigrate extends LongtermAnonPinRace {

    GupFastVsMigrate() {
        super("gup-fast-vs-migrate",
                "CPU0 pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) of private anonymous memory, pins held; CPU1 "
                        + "migrates the pages (migrate_pages(), as compaction does)");
    }

    @Override
    List<ScenarioParam> extraParams() {
        return List.of(new ScenarioParam("passes", "1", List.of("1", "2", "3"),
                "passes of migrate_pages() over a folio that keeps failing with -EAGAIN (the kernel makes up to "
                        + Migrate.NR_MAX_MIGRATE_ASYNC_RETRY + "; each repeats the same decisions)"));
    }

    @Override
    void race(World world, MappedBacking m) {
        Migrate migrate = new Migrate(world.vm());
        int passes = Integer.parseInt(m.params.get("passes"));
        for (int i = 0; i < m.nrPages; i++) {
            Folio f = m.setupFolio(i);
            if (f != null) {
                migrate.compactFolio(f, passes);
            }
        }
    }
}
