package org.gupsim.memmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.gupsim.litmus.LitmusParser;
import org.gupsim.litmus.LitmusRunner;
import org.junit.jupiter.api.Test;

class MemoryModelsTest {

    @Test
    void aUsersModelIsFoundLikeTheBuiltInsAndAfterThem() throws IOException {
        assertEquals(List.of("sc", "tso", "arm64", "power", "coherence"), MemoryModels.names());
        MemoryModel m = MemoryModels.get("coherence");
        assertEquals("Sometimes", LitmusRunner.run(LitmusParser.parse(
                Files.readString(Path.of("..", "litmus-tests", "MP+wmb+rmb.litmus"))), m).result());
        assertEquals("Never", LitmusRunner.run(LitmusParser.parse(
                Files.readString(Path.of("..", "litmus-tests", "CoRR.litmus"))), m).result());
    }

    @Test
    void anUnknownNameIsRefusedWithTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryModels.get("x86"));
        assertEquals("memory model must be one of [sc, tso, arm64, power, coherence], was 'x86'", e.getMessage());
    }

    @Test
    void relationAlgebra() {
        BitSet all = new BitSet();
        all.set(0, 3);
        Relation r = Relation.empty(3);
        r.set(0, 1);
        r.set(1, 2);
        assertTrue(r.plus().has(0, 2));
        assertTrue(r.acyclic());
        assertEquals(r, r.inverse().inverse());
        assertTrue(r.seq(r).has(0, 2));
        assertFalse(r.seq(r).has(0, 1));
        assertTrue(r.star().has(1, 1));
        r.set(2, 0);
        assertFalse(r.acyclic());
        assertTrue(Relation.cross(3, all, all).minus(Relation.identity(3, all)).irreflexive());
        assertThrows(IllegalArgumentException.class, () -> Relation.empty(2).union(Relation.empty(3)));
        Relation big = Relation.empty(130);
        big.set(0, 129);
        big.set(129, 70);
        assertTrue(big.plus().has(0, 70));
    }
}
