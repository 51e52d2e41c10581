package org.gupsim.litmus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gupsim.memmodel.Order;
import org.gupsim.memmodel.Primitive;

/**
 * Runs one thread's code symbolically: each read returns a fresh {@link Sym.Read}, so the thread
 * can be run before anyone knows what its reads return. Where the code's course depends on a
 * read — an {@code if} on it, a pointer loaded from memory, a {@code cmpxchg} that may succeed or
 * fail — every way is taken, each with the condition it needs; {@link #paths} returns them all,
 * in a fixed order. The primitives are those of tools/memory-model/linux-kernel.def.
 */
final class ThreadInterpreter {
    private static final Pattern SUFFIX = Pattern.compile("(.*?)(_relaxed|_acquire|_release)?");

    private final ThreadCode code;
    private final List<String> locations;
    private final Map<StateVar, Value> regInit;
    private final List<Integer> choices;
    private int next;
    private final Map<String, Sym> regs = new LinkedHashMap<>();
    private final BitSet ctrl = new BitSet();
    private final List<Op> ops = new ArrayList<>();
    private final List<ThreadPath.Constraint> constraints = new ArrayList<>();
    private int reads;

    /** Thrown when the run reaches a choice its prefix does not fix. */
    private static final class NeedChoice extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int options;

        NeedChoice(int options) {
            super(null, null, false, false);
            this.options = options;
        }
    }

    private ThreadInterpreter(ThreadCode code, List<String> locations, Map<StateVar, Value> regInit,
            List<Integer> choices) {
        this.code = code;
        this.locations = locations;
        this.regInit = regInit;
        this.choices = choices;
    }

    /**
     * Every path through the thread, choices taken in order (the "then" branch, the first
     * location, a successful compare-and-swap first).
     *
     * @param locations the shared locations, sorted: where a pointer read from memory may point
     * @param maxPaths  the most paths taken; a thread with more is refused ({@link LitmusLimitException})
     */
    static List<ThreadPath> paths(ThreadCode code, List<String> locations, Map<StateVar, Value> regInit,
            int maxPaths) {
        List<ThreadPath> out = new ArrayList<>();
        Deque<List<Integer>> todo = new ArrayDeque<>();
        todo.push(List.of());
        while (!todo.isEmpty()) {
            if (out.size() + todo.size() > maxPaths) {
                throw new LitmusLimitException("P" + code.index() + " has more than " + maxPaths + " paths (each if on "
                        + "a value read from memory can double them): too many to run exhaustively");
            }
            List<Integer> prefix = todo.pop();
            ThreadInterpreter run = new ThreadInterpreter(code, locations, regInit, prefix);
            try {
                run.exec(code.body());
                out.add(new ThreadPath(List.copyOf(run.ops), List.copyOf(run.constraints),
                        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(run.regs)), run.reads));
            } catch (NeedChoice c) {
                for (int k = c.options - 1; k >= 0; k--) {
                    List<Integer> longer = new ArrayList<>(prefix);
                    longer.add(k);
                    todo.push(longer);
                }
            }
        }
        return out;
    }

    private int choose(int options) {
        if (next < choices.size()) {
            return choices.get(next++);
        }
        throw new NeedChoice(options);
    }

    private LitmusSyntaxException error(int line, String msg) {
        return new LitmusSyntaxException(line, "P" + code.index() + ": " + msg);
    }

    // ---- statements

    private void exec(Ast.Stmt s) {
        switch (s) {
            case Ast.Block b -> b.body().forEach(this::exec);
            case Ast.Assign a -> {
                if (a.target() instanceof Ast.Ident id) {
                    if (code.params().contains(id.name())) {
                        throw error(a.line(), "assigns to parameter '" + id.name() + "'");
                    }
                    regs.put(id.name(), eval(a.value()));
                } else {
                    Ast.Deref d = (Ast.Deref) a.target();
                    BitSet addr = new BitSet();
                    String loc = pointee(d.pointer(), addr);
                    Sym v = eval(a.value());
                    store(Primitive.STORE, Order.RELAXED, loc, v, addr, a.line());
                }
            }
            case Ast.ExprStmt e -> eval(e.expr());
            case Ast.If i -> {
                Sym c = eval(i.cond());
                boolean taken;
                if (c.constant()) {
                    taken = value(c, i.line()).truthy();
                } else {
                    taken = choose(2) == 0;
                    constraints.add(new ThreadPath.Constraint(c, taken));
                    c.reads(ctrl);
                }
                exec(taken ? i.then() : i.otherwise());
            }
        }
    }

    private Value value(Sym constant, int line) {
        try {
            return constant.eval(new Value[0]);
        } catch (Sym.Undefined u) {
            throw error(line, u.getMessage());
        }
    }

    // ---- expressions

    private Sym eval(Ast.Expr e) {
        return switch (e) {
            case Ast.Num n -> new Sym.Const(Value.of(n.value()));
            case Ast.Ident id -> ident(id);
            case Ast.AddrOf a -> {
                if (!locations.contains(a.name())) {
                    throw error(a.line(), "'&" + a.name() + "' names no shared location");
                }
                yield new Sym.Const(Value.addr(a.name()));
            }
            case Ast.Deref d -> {
                BitSet addr = new BitSet();
                String loc = pointee(d.pointer(), addr);
                yield load(Order.RELAXED, loc, addr, d.line());
            }
            case Ast.Unary u -> new Sym.Un(u.op(), eval(u.operand()));
            case Ast.Binary b -> new Sym.Bin(b.op(), eval(b.left()), eval(b.right()));
            case Ast.Call c -> call(c);
        };
    }

    private Sym ident(Ast.Ident id) {
        Sym r = regs.get(id.name());
        if (r != null) {
            return r;
        }
        if (code.params().contains(id.name())) {
            return new Sym.Const(Value.addr(id.name()));
        }
        Value init = regInit.get(new StateVar(code.index(), id.name()));
        return new Sym.Const(init != null ? init : Value.of(0));
    }

    /** The location a pointer expression points to; a pointer read from memory may point anywhere (one path each). */
    private String pointee(Ast.Expr pointer, BitSet addrDeps) {
        Sym p = eval(pointer);
        if (p.constant()) {
            Value v = value(p, pointer.line());
            if (!v.isAddress()) {
                throw error(pointer.line(), "dereferences " + v + ", which is not the address of a shared location");
            }
            return v.loc();
        }
        String loc = locations.get(choose(locations.size()));
        constraints.add(new ThreadPath.Constraint(new Sym.Bin("==", p, new Sym.Const(Value.addr(loc))), true));
        p.reads(addrDeps);
        return loc;
    }

    /** The location an lvalue argument such as {@code *x} names. */
    private String lvalue(Ast.Expr e, String prim, BitSet addrDeps) {
        if (e instanceof Ast.Deref d) {
            return pointee(d.pointer(), addrDeps);
        }
        throw error(e.line(), prim + "() takes an lvalue such as *x");
    }

    private Sym load(Order order, String loc, BitSet addr, int line) {
        int id = reads++;
        ops.add(new Op(Primitive.LOAD, order, Op.Marker.NONE, loc, id, null, null, addr, new BitSet(),
                (BitSet) ctrl.clone(), line));
        return new Sym.Read(id);
    }

    private void store(Primitive p, Order order, String loc, Sym v, BitSet addr, int line) {
        BitSet data = new BitSet();
        v.reads(data);
        ops.add(new Op(p, order, Op.Marker.NONE, loc, -1, v, null, addr, data, (BitSet) ctrl.clone(), line));
    }

    /** A read-modify-write; {@code update} computes the written value from the read one. */
    private Sym rmw(Primitive p, Order order, String loc, java.util.function.UnaryOperator<Sym> update, Sym operand,
            Value mustRead, BitSet addr, int line) {
        int id = reads++;
        Sym old = new Sym.Read(id);
        BitSet data = new BitSet();
        if (operand != null) {
            operand.reads(data);
        }
        ops.add(new Op(p, order, Op.Marker.NONE, loc, id, update == null ? null : update.apply(old), mustRead, addr, data,
                (BitSet) ctrl.clone(), line));
        return old;
    }

    private void fence(Primitive p, int line) {
        ops.add(Op.fence(p, (BitSet) ctrl.clone(), line));
    }

    private void arity(Ast.Call c, int n) {
        if (c.args().size() != n) {
            throw error(c.line(), c.name() + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", was given "
                    + c.args().size());
        }
    }

    private static Order order(String suffix, Order unsuffixed) {
        if (suffix == null) {
            return unsuffixed;
        }
        return switch (suffix) {
            case "_relaxed" -> Order.RELAXED;
            case "_acquire" -> Order.ACQUIRE;
            default -> Order.RELEASE;
        };
    }

    private Sym call(Ast.Call c) {
        String name = c.name();
        int line = c.line();
        List<Ast.Expr> a = c.args();
        BitSet addr = new BitSet();
        Sym zero = new Sym.Const(Value.of(0));
        switch (name) {
            case "READ_ONCE", "rcu_dereference" -> {
                arity(c, 1);
                return load(Order.RELAXED, lvalue(a.get(0), name, addr), addr, line);
            }
            case "smp_load_acquire", "atomic_read_acquire" -> {
                arity(c, 1);
                return load(Order.ACQUIRE, pointee(a.get(0), addr), addr, line);
            }
            case "atomic_read" -> {
                arity(c, 1);
                return load(Order.RELAXED, pointee(a.get(0), addr), addr, line);
            }
            case "WRITE_ONCE", "rcu_assign_pointer", "smp_store_mb" -> {
                arity(c, 2);
                String loc = lvalue(a.get(0), name, addr);
                Primitive p = name.equals("smp_store_mb") ? Primitive.STORE_MB : Primitive.STORE;
                store(p, name.equals("rcu_assign_pointer") ? Order.RELEASE : Order.RELAXED, loc, eval(a.get(1)),
                        addr, line);
                return zero;
            }
            case "smp_store_release", "atomic_set", "atomic_set_release" -> {
                arity(c, 2);
                String loc = pointee(a.get(0), addr);
                store(Primitive.STORE, name.equals("atomic_set") ? Order.RELAXED : Order.RELEASE, loc, eval(a.get(1)),
                        addr, line);
                return zero;
            }
            case "smp_mb", "smp_rmb", "smp_wmb", "smp_mb__before_atomic", "smp_mb__after_atomic",
                    "smp_mb__after_spinlock" -> {
                arity(c, 0);
                fence(switch (name) {
                    case "smp_mb" -> Primitive.MB;
                    case "smp_rmb" -> Primitive.RMB;
                    case "smp_wmb" -> Primitive.WMB;
                    case "smp_mb__before_atomic" -> Primitive.MB_BEFORE_ATOMIC;
                    case "smp_mb__after_atomic" -> Primitive.MB_AFTER_ATOMIC;
                    default -> Primitive.MB_AFTER_SPINLOCK;
                }, line);
                return zero;
            }
            case "barrier" -> {
                arity(c, 0);
                return zero;
            }
            case "spin_lock" -> {
                arity(c, 1);
                rmw(Primitive.SPIN_LOCK, Order.ACQUIRE, pointee(a.get(0), addr), old -> new Sym.Const(Value.of(1)),
                        null, Value.of(0), addr, line);
                return zero;
            }
            case "spin_unlock" -> {
                arity(c, 1);
                store(Primitive.SPIN_UNLOCK, Order.RELEASE, pointee(a.get(0), addr), zero, addr, line);
                return zero;
            }
            case "spin_trylock" -> {
                arity(c, 1);
                String loc = pointee(a.get(0), addr);
                if (choose(2) == 0) {
                    rmw(Primitive.SPIN_LOCK, Order.ACQUIRE, loc, old -> new Sym.Const(Value.of(1)), null,
                            Value.of(0), addr, line);
                    return new Sym.Const(Value.of(1));
                }
                Sym r = load(Order.RELAXED, loc, addr, line);
                constraints.add(new ThreadPath.Constraint(new Sym.Bin("!=", r, zero), true));
                return zero;
            }
            case "spin_is_locked" -> {
                arity(c, 1);
                return new Sym.Bin("!=", load(Order.RELAXED, pointee(a.get(0), addr), addr, line), zero);
            }
            case "rcu_read_lock", "rcu_read_unlock", "synchronize_rcu", "synchronize_rcu_expedited" -> {
                arity(c, 0);
                ops.add(Op.marker(switch (name) {
                    case "rcu_read_lock" -> Op.Marker.RCU_LOCK;
                    case "rcu_read_unlock" -> Op.Marker.RCU_UNLOCK;
                    default -> Op.Marker.SYNC_RCU;
                }, (BitSet) ctrl.clone(), line));
                return zero;
            }
            default -> {
                return atomic(c, addr);
            }
        }
    }

    private static final Pattern ATOMIC = Pattern.compile(
            "(?:atomic|atomic64|atomic_long)_(fetch_)?(add|sub|inc|dec|and|or|xor|andnot)(_return)?"
            + "(_relaxed|_acquire|_release)?");

    /** The atomic_t family, xchg and cmpxchg. */
    private Sym atomic(Ast.Call c, BitSet addr) {
        String name = c.name();
        int line = c.line();
        List<Ast.Expr> a = c.args();
        Matcher m = ATOMIC.matcher(name);
        if (m.matches()) {
            boolean fetch = m.group(1) != null;
            String op = m.group(2);
            boolean ret = m.group(3) != null;
            if (fetch && ret) {
                throw error(line, name + " is not a primitive gupsim models");
            }
            boolean unary = op.equals("inc") || op.equals("dec");
            arity(c, unary ? 1 : 2);
            Sym operand = unary ? new Sym.Const(Value.of(1)) : eval(a.get(0));
            String loc = pointee(a.get(unary ? 0 : 1), addr);
            String bin = switch (op) {
                case "add", "inc" -> "+";
                case "sub", "dec" -> "-";
                case "and" -> "&";
                case "or" -> "|";
                case "xor" -> "^";
                default -> "andnot";
            };
            java.util.function.UnaryOperator<Sym> update = old -> bin.equals("andnot")
                    ? new Sym.Bin("&", old, new Sym.Un("~", operand))
                    : new Sym.Bin(bin, old, operand);
            if (!fetch && !ret) {
                if (m.group(4) != null) {
                    throw error(line, name + " is not a primitive gupsim models");
                }
                rmw(Primitive.RMW_NO_RETURN, Order.RELAXED, loc, update, operand, null, addr, line);
                return new Sym.Const(Value.of(0));
            }
            Order o = order(m.group(4), Order.FULL);
            Sym old = rmw(Primitive.RMW, o, loc, update, operand, null, addr, line);
            return fetch ? old : update.apply(old);
        }
        Matcher s = SUFFIX.matcher(name);
        s.matches();
        String base = s.group(1);
        Order o = order(s.group(2), Order.FULL);
        switch (base) {
            case "xchg", "atomic_xchg" -> {
                arity(c, 2);
                String loc = pointee(a.get(0), addr);
                Sym v = eval(a.get(1));
                return rmw(Primitive.RMW, o, loc, old -> v, v, null, addr, line);
            }
            case "cmpxchg", "atomic_cmpxchg" -> {
                arity(c, 3);
                String loc = pointee(a.get(0), addr);
                Sym expected = eval(a.get(1));
                Sym v = eval(a.get(2));
                if (choose(2) == 0) {
                    Sym old = rmw(Primitive.RMW, o, loc, x -> v, v, null, addr, line);
                    constraints.add(new ThreadPath.Constraint(new Sym.Bin("==", old, expected), true));
                    return old;
                }
                Sym old = rmw(Primitive.CMPXCHG_FAILED, o, loc, null, null, null, addr, line);
                constraints.add(new ThreadPath.Constraint(new Sym.Bin("==", old, expected), false));
                return old;
            }
            default -> {
                // fall through to the remaining fully ordered helpers
            }
        }
        if (s.group(2) == null) {
            switch (name) {
                case "atomic_sub_and_test", "atomic_dec_and_test", "atomic_inc_and_test", "atomic_add_negative" -> {
                    boolean unary = !name.equals("atomic_sub_and_test") && !name.equals("atomic_add_negative");
                    arity(c, unary ? 1 : 2);
                    Sym operand = unary ? new Sym.Const(Value.of(1)) : eval(a.get(0));
                    String loc = pointee(a.get(unary ? 0 : 1), addr);
                    String bin = name.startsWith("atomic_inc") || name.startsWith("atomic_add") ? "+" : "-";
                    Sym old = rmw(Primitive.RMW, Order.FULL, loc, x -> new Sym.Bin(bin, x, operand), operand, null,
                            addr, line);
                    Sym now = new Sym.Bin(bin, old, operand);
                    return name.equals("atomic_add_negative")
                            ? new Sym.Bin("<", now, new Sym.Const(Value.of(0)))
                            : new Sym.Bin("==", now, new Sym.Const(Value.of(0)));
                }
                case "atomic_add_unless", "atomic_inc_not_zero" -> {
                    boolean inc = name.equals("atomic_inc_not_zero");
                    arity(c, inc ? 1 : 3);
                    String loc = pointee(a.get(0), addr);
                    Sym plus = inc ? new Sym.Const(Value.of(1)) : eval(a.get(1));
                    Sym unless = inc ? new Sym.Const(Value.of(0)) : eval(a.get(2));
                    // the generic atomic_fetch_add_unless(): read, give up if it is 'unless',
                    // else a fully ordered cmpxchg; a failure is just the (relaxed) read
                    if (choose(2) == 0) {
                        Sym old = rmw(Primitive.RMW, Order.FULL, loc, x -> new Sym.Bin("+", x, plus), plus, null,
                                addr, line);
                        constraints.add(new ThreadPath.Constraint(new Sym.Bin("!=", old, unless), true));
                        return new Sym.Const(Value.of(1));
                    }
                    Sym old = load(Order.RELAXED, loc, addr, line);
                    constraints.add(new ThreadPath.Constraint(new Sym.Bin("!=", old, unless), false));
                    return new Sym.Const(Value.of(0));
                }
                default -> {
                    // not known
                }
            }
        }
        throw error(line, name + "() is not a primitive gupsim models (see docs/litmus.md for the list)");
    }
}
