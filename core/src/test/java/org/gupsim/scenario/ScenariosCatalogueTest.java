package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue appends providers' scenarios after core's, in an order that does not depend on loading order. */
class ScenariosCatalogueTest {

    private static Scenario named(String name) {
        return new Named(name);
    }

    /** A scenario that is only a name (the catalogue never runs it). */
    private record Named(String name) implements Scenario {
        @Override
        public String description() {
            return name;
        }

        @Override
        public int cpus() {
            return 1;
        }

        @Override
        public List<ScenarioParam> params() {
            return List.of();
        }

        @Override
        public Programs setUp(World world, Map<String, String> params) {
            throw new UnsupportedOperationException("not run");
        }
    }

    /** Two provider classes whose names sort B before Z. */
    static final class BProvider implements ScenarioProvider {
        @Override
        public List<Scenario> scenarios() {
            return List.of(named("b1"), named("b2"));
        }
    }

    static final class ZProvider implements ScenarioProvider {
        @Override
        public List<Scenario> scenarios() {
            return List.of(named("z1"));
        }
    }

    @Test
    void providersComeAfterCoreSortedByClassNameWhateverTheLoadingOrder() {
        List<Scenario> core = List.of(named("core1"), named("core2"));
        List<String> a = Scenarios.catalogue(core, List.of(new ZProvider(), new BProvider())).stream()
                .map(Scenario::name).toList();
        List<String> b = Scenarios.catalogue(core, List.of(new BProvider(), new ZProvider())).stream()
                .map(Scenario::name).toList();
        assertEquals(List.of("core1", "core2", "b1", "b2", "z1"), a);
        assertEquals(a, b);
    }

    @Test
    void aDuplicateNameIsRefused() {
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> Scenarios.catalogue(List.of(named("b1")), List.of(new BProvider())));
        assertTrue(x.getMessage().contains("b1"), x.getMessage());
    }

    @Test
    void coreAloneListsCoreScenariosFirst() {
        assertEquals("gup-fast-vs-munmap", Scenarios.names().get(0));
        assertEquals(Scenarios.names().size(), Scenarios.all().size());
    }
}
