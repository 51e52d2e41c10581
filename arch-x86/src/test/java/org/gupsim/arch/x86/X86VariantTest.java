package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.arch.Architecture;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.pgtable.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Variant specs, defaults per kernel, and discovery through {@link ArchRegistry}. */
class X86VariantTest {
    private final X86_64 arch = new X86_64();

    @Test
    void listsVariantsAndOptions() {
        assertEquals("x86_64", arch.name());
        assertEquals(List.of("native", "native-rcu", "paravirt", "invlpgb"), arch.variants());
        assertEquals(List.of("la57", "few-cpus"), arch.options());
        assertTrue(arch.optionDescription("la57").contains("5-level"));
        assertThrows(IllegalArgumentException.class, () -> arch.optionDescription("ipi"));
        assertFalse(arch.description().isBlank());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void defaultDependsOnKernel(KernelVersion kernel) {
        // The default follows the feature, not a release number: RCU table freeing everywhere (a37259732a7d).
        String expected = kernel.base().get(X86Features.RCU_TABLE_FREE) ? "native-rcu" : "native";
        assertEquals(expected, arch.defaultVariant(kernel));
        assertEquals(expected, arch.variant(null, kernel).name());
        assertThrows(IllegalArgumentException.class, () -> arch.variant("", kernel), "an empty spec is no default");
    }

    @Test
    void defaultsOfNamedKernels() {
        assertEquals("native", arch.defaultVariant(KernelVersion.V6_4));
        assertEquals("native", arch.defaultVariant(KernelVersion.V6_10));
        assertEquals("native-rcu", arch.defaultVariant(KernelVersion.V6_15));
        assertEquals("native-rcu", arch.defaultVariant(KernelVersion.LATEST));
    }

    /** Both flush with IPIs; native frees page tables right after the flush, native-rcu after a grace period. */
    static Stream<Arguments> tableFreeing() {
        return Stream.of(
                Arguments.of("native", KernelVersion.LATEST, org.gupsim.tlb.ImmediateTableFree.PROMISE),
                Arguments.of("native-rcu", KernelVersion.V6_4, org.gupsim.tlb.RcuTableFree.PROMISE));
    }

    @ParameterizedTest
    @MethodSource
    void tableFreeing(String spec, KernelVersion kernel, org.gupsim.tlb.TableFreePromise tableFreeing) {
        ArchVariant v = arch.variant(spec, kernel);
        assertEquals(org.gupsim.tlb.IpiFlush.PROMISE, v.shootdown());
        assertEquals(tableFreeing, v.tableFreeing());
        assertEquals(spec, v.name());
        assertEquals("x86_64:" + spec, v.fullName());
        assertEquals(4, v.newMmGeometry().levels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "native-rcu", "native+la57", "native-rcu+la57"})
    void specsRoundTripThroughTheirCanonicalName(String spec) {
        ArchVariant v = arch.variant(spec, KernelVersion.LATEST);
        assertEquals(spec, v.name());
        assertEquals(v, arch.variant(v.name(), KernelVersion.V6_4));
        assertEquals(v.hashCode(), arch.variant(v.name(), KernelVersion.V6_4).hashCode());
        assertEquals(spec.endsWith("+la57"), ((X86Variant) v).la57());
        assertEquals(spec.endsWith("+la57") ? Level.PGD : Level.P4D, v.newMmGeometry().top());
        assertEquals("x86_64:" + spec, v.toString());
    }

    @Test
    void variantsDiffer() {
        assertNotEquals(arch.variant("native", KernelVersion.LATEST), arch.variant("native+la57", KernelVersion.LATEST));
        assertNotEquals(arch.variant("native", KernelVersion.LATEST), arch.variant("native-rcu", KernelVersion.LATEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "Native", "native-rc", "la57", " native", "+la57", "pv+la57"})
    void unknownBaseIsRefusedNamingTheAllowedValues(String spec) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> arch.variant(spec, KernelVersion.LATEST));
        assertTrue(ex.getMessage().startsWith("variant must be one of [native, native-rcu, paravirt, invlpgb] (options: +la57, +few-cpus), was '"),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("'" + spec + "'"), ex.getMessage());
    }

    @Test
    void exampleMessage() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> arch.variant("foo", KernelVersion.LATEST));
        assertEquals("variant must be one of [native, native-rcu, paravirt, invlpgb] (options: +la57, +few-cpus), was 'foo'", ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native+la48", "native+", "native-rcu+LA57", "native+la57+"})
    void unknownOptionIsRefusedNamingTheAllowedValues(String spec) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> arch.variant(spec, KernelVersion.LATEST));
        assertTrue(ex.getMessage().startsWith("variant option must be one of [la57, few-cpus], was '"), ex.getMessage());
    }

    @Test
    void repeatedOptionIsRefused() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> arch.variant("native+la57+la57", KernelVersion.LATEST));
        assertTrue(ex.getMessage().contains("la57"), ex.getMessage());
    }

    @Test
    void nullKernelIsRefused() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> arch.variant("native", null));
        assertTrue(ex.getMessage().contains("kernel"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> arch.defaultVariant(null));
    }

    @Test
    void eachVariantObjectHasItsOwnBackends() {
        ArchVariant a = arch.variant("native-rcu", KernelVersion.LATEST);
        ArchVariant b = arch.variant("native-rcu", KernelVersion.LATEST);
        assertTrue(a.flushBackend() != b.flushBackend());
        assertTrue(a.tableFreePolicy() != b.tableFreePolicy());
        assertTrue(a.flushBackend() == a.flushBackend(), "stable per variant object");
    }

    @Test
    void registryFindsX86ThroughServiceLoader() {
        ArchRegistry registry = ArchRegistry.load();
        assertTrue(registry.names().contains("x86_64"), registry.names().toString());
        Architecture a = registry.get("x86_64");
        assertTrue(a instanceof X86_64);
        ArchVariant v = registry.parse("x86_64:native-rcu+la57", KernelVersion.LATEST);
        assertEquals("x86_64:native-rcu+la57", v.fullName());
        assertEquals("x86_64:native", registry.parse("x86_64", KernelVersion.V6_10).fullName());
        assertEquals("x86_64:native-rcu", registry.parse("x86_64", KernelVersion.LATEST).fullName());
    }

    /**
     * Which kernels have each base is read from the kernel's features, not its release: a kernel
     * patched to undo a37259732a7d has native again and native-rcu no more, and x86_64:rar exists
     * only with the posted series' patch, which needs the global ASIDs of 6.15.
     */
    @Test
    void availabilityFollowsTheKernelsFeatures() {
        X86_64 arch = new X86_64();
        for (KernelVersion k : KernelVersion.values()) {
            boolean rcu = k.get(X86Features.RCU_TABLE_FREE);
            assertEquals(!rcu, arch.variant("native", k).unavailableOn(k).isEmpty(), k.label());
            assertEquals(rcu, arch.variant("native-rcu", k).unavailableOn(k).isEmpty(), k.label());
            assertEquals(k.get(X86Features.GLOBAL_ASIDS), arch.variant("invlpgb+few-cpus", k).unavailableOn(k).isEmpty());
            assertTrue(arch.variant("paravirt+la57", k).unavailableOn(k).isEmpty(), k.label());
        }
        assertTrue(arch.variant("native", KernelVersion.V6_10).unavailableOn(KernelVersion.V6_10).isEmpty());
        assertEquals("since a37259732a7d (6.15) x86 frees page tables through RCU in every configuration (native-rcu); "
                + "tables freed right after the IPI flush are bare metal before it",
                arch.variant("native", KernelVersion.LATEST).unavailableOn(KernelVersion.LATEST).orElseThrow());

        Patch undo = Patch.builder("no-x86-rcu-table-free").description("x86 bare metal frees tables after the flush")
                .undoes("a37259732a7d").set(X86Features.RCU_TABLE_FREE, false).build();
        Kernel undone = KernelVersion.LATEST.with(undo);
        assertTrue(arch.variant("native", undone).unavailableOn(undone).isEmpty());
        assertTrue(arch.variant("native-rcu", undone).unavailableOn(undone).isPresent());
        assertTrue(arch.variant("invlpgb", undone).unavailableOn(undone).orElseThrow().contains("a37259732a7d"));
        assertEquals("native", arch.defaultVariant(undone));

        ArchRegistry registry = ArchRegistry.load();
        assertTrue(registry.resolve("x86_64:rar", KernelVersion.LATEST).unavailableOn(KernelVersion.LATEST).isPresent());
        Kernel rar = KernelVersion.LATEST.with(X86Patches.INTEL_RAR);
        assertEquals("x86_64:rar", registry.parse("x86_64:rar", rar).fullName());
        assertTrue(X86Patches.INTEL_RAR.whyNotApplicable(KernelVersion.V6_10).orElseThrow().contains("6.15"));
    }
}
