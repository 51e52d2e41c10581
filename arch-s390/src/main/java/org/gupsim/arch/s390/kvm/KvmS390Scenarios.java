package org.gupsim.arch.s390.kvm;

import java.util.List;
import org.gupsim.scenario.Scenario;
import org.gupsim.scenario.ScenarioProvider;

/** Adds the KVM s390 scenarios to the catalogue ({@code META-INF/services/org.gupsim.scenario.ScenarioProvider}). */
public final class KvmS390Scenarios implements ScenarioProvider {
    @Override
    public List<Scenario> scenarios() {
        return List.of(new KvmS390AifEnable(), new KvmS390AifVsUnplug());
    }
}
