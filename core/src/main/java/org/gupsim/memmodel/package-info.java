/**
 * Memory models: candidate executions as event graphs ({@link org.gupsim.memmodel.Execution},
 * {@link org.gupsim.memmodel.Relation}), the kernel's ordering primitives
 * ({@link org.gupsim.memmodel.Primitive}, {@link org.gupsim.memmodel.Order}) and, per model, how
 * they compile ({@link org.gupsim.memmodel.Lowering}) and which executions the architecture
 * allows: {@link org.gupsim.memmodel.Sc}, {@link org.gupsim.memmodel.Tso} (x86-64, s390),
 * {@link org.gupsim.memmodel.Arm64}, {@link org.gupsim.memmodel.Power}, found through
 * {@link org.gupsim.memmodel.MemoryModels}. Mirrors Documentation/memory-barriers.txt,
 * Documentation/atomic_t.txt and tools/memory-model (the primitives), each architecture's
 * asm/barrier.h, atomic and cmpxchg headers (the lowerings), and herd7's cat models (the axioms).
 * It depends on no other gupsim package: the litmus runner and the explorer both judge
 * executions with it, so each model is defined once.
 */
package org.gupsim.memmodel;
