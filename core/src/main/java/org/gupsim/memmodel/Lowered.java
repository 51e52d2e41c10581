package org.gupsim.memmodel;

import java.util.List;

/**
 * What one primitive compiles to on one architecture: its instructions in program order (at most
 * one read and one write; for a read-modify-write the read comes first) and whether the compiled
 * sequence branches on the value read (powerpc's {@code cmpxchg} compares and branches, so what
 * follows is control-dependent on its {@code lwarx}).
 */
public record Lowered(List<Instr> instrs, boolean branchesOnRead) {

    public Lowered {
        instrs = List.copyOf(instrs);
        int reads = 0;
        int writes = 0;
        for (Instr i : instrs) {
            if (i.kind() == Execution.Kind.READ) {
                if (writes > 0) {
                    throw new IllegalArgumentException("the read of a read-modify-write comes before its write: " + instrs);
                }
                reads++;
            } else if (i.kind() == Execution.Kind.WRITE) {
                writes++;
            }
        }
        if (reads > 1 || writes > 1) {
            throw new IllegalArgumentException("at most one read and one write per primitive: " + instrs);
        }
    }

    /** Instructions, without a branch on the read. */
    public static Lowered of(Instr... instrs) {
        return new Lowered(List.of(instrs), false);
    }

    /** Nothing: the primitive is a compiler barrier only on this architecture. */
    public static Lowered nothing() {
        return new Lowered(List.of(), false);
    }
}
