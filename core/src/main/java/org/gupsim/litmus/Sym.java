package org.gupsim.litmus;

import java.util.BitSet;

/**
 * A value as a thread computes it before anyone knows what its reads return: a constant, the
 * value of one of the thread's reads, or an operation on those. Once an execution fixes every
 * read, {@link #eval} gives the value. The reads it mentions are its dependencies.
 */
sealed interface Sym {

    /** The value, given what each of the thread's reads returned. */
    Value eval(Value[] reads);

    /** Adds the ids of the reads this value depends on. */
    void reads(BitSet into);

    /** Whether it depends on no read. */
    default boolean constant() {
        BitSet b = new BitSet();
        reads(b);
        return b.isEmpty();
    }

    /** An operation the values do not support (arithmetic on an address). */
    final class Undefined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Undefined(String what) {
            super(what, null, false, false);
        }
    }

    record Const(Value v) implements Sym {
        @Override
        public Value eval(Value[] reads) {
            return v;
        }

        @Override
        public void reads(BitSet into) {
        }
    }

    record Read(int id) implements Sym {
        @Override
        public Value eval(Value[] reads) {
            return reads[id];
        }

        @Override
        public void reads(BitSet into) {
            into.set(id);
        }
    }

    record Un(String op, Sym a) implements Sym {
        @Override
        public Value eval(Value[] reads) {
            Value v = a.eval(reads);
            if (op.equals("!")) {
                return Value.of(v.truthy() ? 0 : 1);
            }
            if (v.isAddress()) {
                throw new Undefined(op + " of an address");
            }
            return Value.of(op.equals("-") ? -v.num() : ~v.num());
        }

        @Override
        public void reads(BitSet into) {
            a.reads(into);
        }
    }

    record Bin(String op, Sym a, Sym b) implements Sym {
        @Override
        public Value eval(Value[] reads) {
            Value x = a.eval(reads);
            if (op.equals("&&")) {
                return Value.of(x.truthy() && b.eval(reads).truthy() ? 1 : 0);
            }
            if (op.equals("||")) {
                return Value.of(x.truthy() || b.eval(reads).truthy() ? 1 : 0);
            }
            Value y = b.eval(reads);
            if (op.equals("==")) {
                return Value.of(x.equals(y) ? 1 : 0);
            }
            if (op.equals("!=")) {
                return Value.of(x.equals(y) ? 0 : 1);
            }
            if (x.isAddress() || y.isAddress()) {
                throw new Undefined(op + " on an address");
            }
            long l = x.num();
            long r = y.num();
            return Value.of(switch (op) {
                case "+" -> l + r;
                case "-" -> l - r;
                case "*" -> l * r;
                case "/" -> {
                    if (r == 0) {
                        throw new Undefined("division by zero");
                    }
                    yield l / r;
                }
                case "%" -> {
                    if (r == 0) {
                        throw new Undefined("division by zero");
                    }
                    yield l % r;
                }
                case "&" -> l & r;
                case "|" -> l | r;
                case "^" -> l ^ r;
                case "<<" -> l << r;
                case ">>" -> l >> r;
                case "<" -> l < r ? 1 : 0;
                case "<=" -> l <= r ? 1 : 0;
                case ">" -> l > r ? 1 : 0;
                case ">=" -> l >= r ? 1 : 0;
                default -> throw new IllegalStateException("operator " + op);
            });
        }

        @Override
        public void reads(BitSet into) {
            a.reads(into);
            b.reads(into);
        }
    }
}
