package org.gupsim.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.gupsim.memmodel.MemoryModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LitmusParserTest {

    private static LitmusSyntaxException bad(String text) {
        return assertThrows(LitmusSyntaxException.class, () -> LitmusRunner.run(LitmusParser.parse(text),
                MemoryModels.get("sc")));
    }

    @Test
    void readsTheKernelsFormatWithItsCommentInitialValuesAndLocations() {
        LitmusTest t = LitmusParser.parse("""
                C MP+onceassign+derefonce

                (*
                 * Result: Never { braces in the comment }
                 *)

                {
                y=z;
                z=0;
                atomic_t v = ATOMIC_INIT(-3);
                int *p = &z;
                0:r9=7;
                }

                P0(int *x, int **y)
                {
                	WRITE_ONCE(*x, 1); // a comment
                	rcu_assign_pointer(*y, x); /* another */
                }

                P1(int *x, int **y)
                {
                	int *r0;
                	int r1;

                	rcu_read_lock();
                	r0 = rcu_dereference(*y);
                	r1 = READ_ONCE(*r0);
                	rcu_read_unlock();
                }

                locations [x; 0:r9]
                exists (1:r0=x /\\ 1:r1=0)
                """);
        assertEquals("MP+onceassign+derefonce", t.name());
        assertEquals(Value.addr("z"), t.init().get("y"));
        assertEquals(Value.of(-3), t.init().get("v"));
        assertEquals(Value.addr("z"), t.init().get("p"));
        assertEquals(Value.of(0), t.init().get("x"));
        assertEquals(Value.of(7), t.registerInit().get(new StateVar(0, "r9")));
        assertEquals(2, t.threads().size());
        assertEquals(List.of("0:r9", "1:r0", "1:r1", "x"), t.observed().stream().map(StateVar::toString).toList());
        assertEquals("exists (1:r0=x /\\ 1:r1=0)", t.conditionText());
        LitmusResult r = LitmusRunner.run(t, MemoryModels.get("arm64"));
        assertEquals("Never", r.result());
        assertEquals(Value.of(7), r.states().get(0).get(new StateVar(0, "r9")));
    }

    @Test
    void conditionsPrintAsHerdDoes() {
        LitmusTest t = LitmusParser.parse("C c\n{}\nP0(int *x)\n{\n}\n"
                + "exists (x=1 /\\ (x=2 \\/ ~x=3) /\\ ~(x=4 /\\ x=5))\n");
        assertEquals("exists (x=1 /\\ (x=2 \\/ ~x=3) /\\ ~(x=4 /\\ x=5))", t.conditionText());
    }

    /** Bad tests, each with the line the error names (null: not checked) and its detail (null: not checked). */
    static Stream<Arguments> badTests() {
        return Stream.of(
                Arguments.of("", 1, null),
                Arguments.of("  \n\n", null, "empty file: a C litmus test starts with a 'C NAME' line"),
                Arguments.of("C\n{}\n", null, "the 'C' line has no test name"),
                Arguments.of("C t\n\nnonsense here\n{}\n", 3, null),
                Arguments.of("C t\n(* unterminated\n\n\n", 2, null),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n\twhile (1) ;\n}\nexists (x=0)\n", 5,
                        "'while' is not supported: a litmus thread is straight-line code with if/else"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(x);\n}\nexists (x=0)\n", 6,
                        "P0: READ_ONCE() takes an lvalue such as *x"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x);\n}\nexists (x=0)\n", null,
                        "P0: WRITE_ONCE() takes 2 arguments, was given 1"),
                Arguments.of("C t\n{}\nP1(int *x)\n{\n}\nexists (x=0)\n", null,
                        "threads must be P0, P1, ... without gaps; P0 is missing"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n}\nexists (y=0)\n", null,
                        "the condition names 'y', which no thread or initial value declares"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n}\nexists (2:r0=0)\n", null,
                        "thread 2 does not exist (the test has 1)"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(*(1));\n}\nexists (x=0)\n", null,
                        "P0: dereferences 1, which is not the address of a shared location"),
                Arguments.of("C t\n\n{ y=z; }\nP0(int *x)\n{\n}\nexists (x=0)\n", 3,
                        "the initial value of 'y' is the address of 'z', which no thread or initial value declares"),
                Arguments.of("C t\n{}\nP0(int *x)\n{\n}\n", null,
                        "expected 'exists', '~exists', 'forall', 'filter' or 'locations', found end of file"));
    }

    @ParameterizedTest
    @MethodSource("badTests")
    void errorsNameTheLine(String text, Integer line, String detail) {
        LitmusSyntaxException e = bad(text);
        if (line != null) {
            assertEquals(line, e.line());
        }
        if (detail != null) {
            assertEquals(detail, e.detail());
        }
    }

    @Test
    void forallAndNotExistsAndFilter() {
        String body = "{}\nP0(atomic_t *v)\n{\n\tatomic_inc(v);\n}\nP1(atomic_t *v)\n{\n\tatomic_inc(v);\n}\n";
        LitmusResult all = LitmusRunner.run(LitmusParser.parse("C inc\n" + body + "forall (v=2)\n"),
                MemoryModels.get("power"));
        assertEquals("Always", all.result());
        assertEquals(true, all.validated());
        LitmusResult none = LitmusRunner.run(LitmusParser.parse("C inc\n" + body + "~exists (v=1)\n"),
                MemoryModels.get("arm64"));
        assertEquals("Never", none.result());
        assertEquals(true, none.validated());
        LitmusResult filtered = LitmusRunner.run(LitmusParser.parse(
                "C f\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = xchg(x, 1);\n}\nP1(int *x)\n{\n\tint r0;\n"
                + "\tr0 = xchg(x, 2);\n}\nfilter (0:r0=0)\nexists (x=1)\n"), MemoryModels.get("tso"));
        assertEquals("Never", filtered.result());
        assertEquals(1, filtered.negative());
    }

    @Test
    void cmpxchgTrylockAndAddUnlessTakeBothWays() {
        LitmusResult r = LitmusRunner.run(LitmusParser.parse("""
                C rmw
                { atomic_t v = ATOMIC_INIT(1); }
                P0(atomic_t *v, spinlock_t *l)
                {
                	int r0;
                	int r1;
                	r0 = atomic_add_unless(v, 1, 0);
                	r1 = spin_trylock(l);
                }
                P1(atomic_t *v, spinlock_t *l)
                {
                	int r0;
                	atomic_set(v, 0);
                	r0 = spin_trylock(l);
                }
                locations [0:r1; 1:r0]
                exists (v=2)
                """), MemoryModels.get("sc"));
        // the kernel's Atomic-RMW-ops-are-atomic-WRT-atomic_set: the set cannot fall between the
        // read and the write of atomic_add_unless(), and exactly one trylock wins
        assertEquals("Never", r.result());
        assertEquals(List.of("0:r1=0; 1:r0=1; v=0;", "0:r1=1; 1:r0=0; v=0;"),
                r.states().stream().map(r::stateText).toList());
    }
}
