package org.gupsim.scenario;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.gup.Foll;

/**
 * The set-up of the scenarios whose racer is a kernel path that moves or replaces anonymous pages
 * (swap-out, migration, KSM): CPU0 pins private anonymous memory with
 * {@code FOLL_WRITE|FOLL_LONGTERM}, as a DMA user does, and holds the pins until every CPU is
 * done, when the pin-lost check asks whether the process still maps each pinned page,
 * exclusively.
 */
abstract class LongtermAnonPinRace extends GupFastRace {

    LongtermAnonPinRace(String name, String description) {
        super(name, description, List.of("anon"), false, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
    }

    @Override
    final boolean holdsPins() {
        return true;
    }
}
