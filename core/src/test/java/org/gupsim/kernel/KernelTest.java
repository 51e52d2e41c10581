package org.gupsim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.gup.GupFeatures;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelFolioChecks;
import org.gupsim.gup.KernelVersion;
import org.gupsim.smp.SmpPatches;
import org.gupsim.tlb.TlbPatches;
import org.gupsim.vm.VmFeatures;
import org.junit.jupiter.api.Test;

/** Kernels as features: presets answer from their release, patches on top, differences derived. */
class KernelTest {
    private static final Feature<String> TOY = Feature.builder("toy", String.class, "a toy feature")
            .initially("no", "off", "not yet", "the start")
            .from("6.6", "yes", "on", "from 6.6 on", "abc123")
            .offMainline("maybe", "perhaps", "a posting's", "v1 posting")
            .build();

    @Test
    void aPresetTakesEachFeatureValueInForceAtItsRelease() {
        assertEquals("off", KernelVersion.V6_5.get(TOY));
        assertEquals("on", KernelVersion.V6_10.get(TOY));
        assertEquals("abc123", KernelVersion.V6_10.setting(TOY).source());
        assertFalse(KernelVersion.V6_5.get(VmFeatures.PTE_OFFSET_MAP_RCU));
        assertTrue(KernelVersion.V6_10.get(VmFeatures.PTE_OFFSET_MAP_RCU));
        assertSame(KernelFolioChecks.NONE, KernelVersion.V6_4.get(GupFeatures.FOLIO_CHECK));
        assertSame(KernelFolioChecks.FOLIO_FAST_PIN_ALLOWED, KernelVersion.V6_5.get(GupFeatures.FOLIO_CHECK));
        assertSame(KernelFolioChecks.GUP_FAST_FOLIO_ALLOWED, KernelVersion.V6_10.get(GupFeatures.FOLIO_CHECK));
    }

    @Test
    void aPostingIsItsBaseReleasePlusWhatItSets() {
        assertSame(KernelFolioChecks.V6_TRY_GRAB, KernelVersion.V6_PATCH.get(GupFeatures.FOLIO_CHECK));
        assertSame(KernelFolioChecks.V7_TRY_GRAB, KernelVersion.V7_PATCH.get(GupFeatures.FOLIO_CHECK));
        assertEquals(KernelVersion.V6_4.get(VmFeatures.PTE_OFFSET_MAP_RCU),
                KernelVersion.V6_PATCH.get(VmFeatures.PTE_OFFSET_MAP_RCU));
        assertFalse(KernelVersion.V6_PATCH.setting(GupFeatures.FOLIO_CHECK).mainline());
    }

    @Test
    void whatChangedIsDerivedFromTheValues() {
        List<Feature<?>> fs = List.of(TOY, VmFeatures.PTE_OFFSET_MAP_RCU, GupFeatures.SECRETMEM_CHECK,
                GupFeatures.FOLIO_CHECK);
        assertEquals("[toy=yes, pte-offset-map-rcu=yes, gup-fast-secretmem-check=none, "
                        + "gup-fast-folio-check=gup-fast-folio-allowed]",
                KernelVersion.V6_10.changesFrom(KernelVersion.V6_5, fs).toString());
        assertEquals(List.of(), KernelVersion.LATEST.changesFrom(KernelVersion.V7_2, fs));
        assertEquals("[gup-fast-folio-check=v6-try-grab-rcu]",
                KernelVersion.V6_PATCH.changesFrom(KernelVersion.V6_4, fs).toString());
    }

    @Test
    void patchesSetFeaturesOnTopOfThePreset() {
        Kernel k = KernelVersion.V6_5.with(GupPatches.NO_IRQ_DISABLE, SmpPatches.SPLIT_RCU_FLAVORS);
        assertFalse(k.get(GupFeatures.IRQ_DISABLE));
        assertTrue(KernelVersion.V6_5.get(GupFeatures.IRQ_DISABLE));
        assertSame(KernelFolioChecks.FOLIO_FAST_PIN_ALLOWED, k.get(GupFeatures.FOLIO_CHECK));
        assertEquals("6.5", k.label());
        assertSame(KernelVersion.V6_5, k.base());
        assertEquals(List.of(GupPatches.NO_IRQ_DISABLE, SmpPatches.SPLIT_RCU_FLAVORS), k.patches());
        assertEquals("6.5+no-irq-disable+split-rcu-flavors", k.toString());
        assertEquals(k, KernelVersion.V6_5.with(SmpPatches.SPLIT_RCU_FLAVORS, GupPatches.NO_IRQ_DISABLE,
                GupPatches.NO_IRQ_DISABLE));
        assertEquals(k, KernelVersion.V6_5.with(SmpPatches.SPLIT_RCU_FLAVORS).with(GupPatches.NO_IRQ_DISABLE));
        assertNotEquals(k, KernelVersion.V6_10.with(GupPatches.NO_IRQ_DISABLE, SmpPatches.SPLIT_RCU_FLAVORS));
        assertSame(KernelVersion.V6_5, KernelVersion.V6_5.with());
    }

    @Test
    void twoPatchesSettingOneFeatureDifferentlyAreRefused() {
        Patch yes = Patch.builder("toy-maybe").description("the posting's toy").adds("v1 posting")
                .set(TOY, TOY.value("maybe")).build();
        Patch no = Patch.builder("toy-off").description("no toy").undoes("abc123").set(TOY, "off").build();
        PatchException e = assertThrows(PatchException.class, () -> KernelVersion.LATEST.with(yes, no));
        assertEquals("patches toy-maybe and toy-off set feature toy differently (maybe and no)", e.getMessage());
        assertEquals("toy-maybe", e.patch());
        Patch alsoOff = Patch.builder("toy-off-too").description("no toy either").undoes("abc123")
                .set(TOY, "off").build();
        assertEquals("off", KernelVersion.LATEST.with(no, alsoOff).get(TOY));
    }

    @Test
    void aPatchThatChangesNothingDoesNotApply() {
        Patch off = Patch.builder("toy-off").description("no toy").undoes("abc123").set(TOY, "off").build();
        PatchException e = assertThrows(PatchException.class, () -> KernelVersion.V6_5.with(off));
        assertEquals("patch toy-off does not apply to kernel 6.5: kernel 6.5 already has toy=no", e.getMessage());
        Patch only610 = Patch.builder("only-6-10").description("x").adds("y").set(TOY, TOY.value("maybe"))
                .appliesOnlyIf(k -> k.release().equals(new Release(6, 10)) ? java.util.Optional.empty()
                        : java.util.Optional.of("only 6.10 has the code it changes"))
                .build();
        assertEquals("perhaps", KernelVersion.V6_10.with(only610).get(TOY));
        assertEquals("patch only-6-10 does not apply to kernel 6.15: only 6.10 has the code it changes",
                assertThrows(PatchException.class, () -> KernelVersion.V6_15.with(only610)).getMessage());
    }

    @Test
    void aPatchNamesTheValueItSetsAfterTheDeclaredOne() {
        Setting<?> s = GupPatches.NO_IRQ_DISABLE.sets().get(0);
        assertEquals("gup-fast-irq-disable=no", s.toString());
        Patch declared = Patch.builder("toy-on").description("on").adds("mine").set(TOY, "on").build();
        assertEquals("yes", declared.sets().get(0).value().name());
        Patch own = Patch.builder("toy-object").description("an object of mine").adds("mine").set(TOY, "x").build();
        assertEquals("toy-object: an object of mine (patch toy-object)", own.sets().get(0).value().describe());
        assertEquals("undoes d3f7b1bb2040 \"mm/gup: fix gup_fast with dynamic page table folding\"",
                GupPatches.FOLDED_OFFSET_ON_COPY.origin());
    }

    @Test
    void theCatalogueFindsCoresFeaturesAndPatchesByName() {
        KernelCatalogue c = KernelCatalogue.get();
        assertTrue(c.features().contains(VmFeatures.PTE_OFFSET_MAP_RCU));
        assertEquals(List.of("folded-offset-on-copy", "immediate-table-free", "no-anon-exclusive-barriers",
                "no-anon-share-pin-check",
                "no-collapse-table-sync", "no-early-cow", "no-irq-disable", "no-pmd-recheck", "no-pte-recheck",
                "no-write-protect-seq", "retract-free-now", "split-rcu-flavors"), c.patchNames());
        assertSame(TlbPatches.IMMEDIATE_TABLE_FREE, c.patch("immediate-table-free"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.patch("nope"));
        assertTrue(e.getMessage().startsWith("patch must be one of [folded-offset-on-copy, "), e.getMessage());
    }

    /** Providers of the features, or patches, given (not of their own constants, as gupsim's are). */
    private record Features(List<Feature<?>> features) implements FeatureProvider {
    }

    private record Patches(List<Patch> patches) implements PatchProvider {
    }

    @Test
    void theCatalogueRefusesTwoFeaturesOrPatchesOfOneName() {
        Feature<String> twin = Feature.builder("toy", String.class, "another").initially("no", "off", "x", "y")
                .build();
        FeatureProvider a = new Features(List.of(TOY));
        FeatureProvider b = new Features(List.of(twin));
        assertEquals("two features are called toy", assertThrows(IllegalStateException.class,
                () -> KernelCatalogue.of(List.of(a, b), List.of())).getMessage());
        Patch p1 = Patch.builder("p").description("x").adds("y").set(TOY, "on").build();
        Patch p2 = Patch.builder("p").description("z").adds("y").set(TOY, "on").build();
        PatchProvider pa = new Patches(List.of(p1));
        PatchProvider pb = new Patches(List.of(p2));
        assertEquals("two patches are called p", assertThrows(IllegalStateException.class,
                () -> KernelCatalogue.of(List.of(), List.of(pa, pb))).getMessage());
    }

    @Test
    void badDeclarationsAreRefusedNamingTheArgument() {
        assertThrows(IllegalArgumentException.class, () -> Feature.builder("Bad Name", Boolean.class, "x"));
        assertThrows(IllegalArgumentException.class, () -> Feature.builder("f", Boolean.class, "x")
                .initially("a", false, "x", "y").from("6.6", "b", true, "x", "y").from("6.5", "c", false, "x", "y"));
        assertThrows(IllegalStateException.class, () -> Feature.builder("f", Boolean.class, "x").build());
        assertThrows(IllegalStateException.class, () -> Patch.builder("p").description("x").adds("y").build());
        assertThrows(IllegalArgumentException.class, () -> Release.parse("6"));
        assertThrows(IllegalArgumentException.class, () -> Release.parse("６.６"));
        assertThrows(IllegalArgumentException.class, () -> TOY.value("nope"));
    }
}
