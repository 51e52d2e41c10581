/**
 * Litmus tests in the C format of the kernel's tools/memory-model: a parser
 * ({@link org.gupsim.litmus.LitmusParser}) and an exhaustive runner
 * ({@link org.gupsim.litmus.LitmusRunner}) that compiles each test's kernel primitives with a
 * {@link org.gupsim.memmodel.MemoryModel}'s lowering and keeps the executions the model allows,
 * giving herd7's verdict ({@code Always}, {@code Sometimes}, {@code Never}) and final states.
 * Its counterpart is herd7 with the kernel's litmus tests (tools/memory-model/litmus-tests,
 * Documentation/litmus-tests); the primitives are those of tools/memory-model/linux-kernel.def.
 */
package org.gupsim.litmus;
