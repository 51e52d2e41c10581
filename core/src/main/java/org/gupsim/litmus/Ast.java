package org.gupsim.litmus;

import java.util.List;

/** The C subset of a litmus thread body, as parsed. Every node keeps its line for error messages. */
final class Ast {
    private Ast() {
    }

    sealed interface Expr permits Num, Ident, AddrOf, Deref, Unary, Binary, Call {
        int line();
    }

    record Num(long value, int line) implements Expr {
    }

    /** A register, or a parameter naming a shared location (whose value is its address). */
    record Ident(String name, int line) implements Expr {
    }

    record AddrOf(String name, int line) implements Expr {
    }

    record Deref(Expr pointer, int line) implements Expr {
    }

    record Unary(String op, Expr operand, int line) implements Expr {
    }

    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** A kernel primitive such as {@code READ_ONCE(*x)}. */
    record Call(String name, List<Expr> args, int line) implements Expr {
    }

    sealed interface Stmt permits Block, Assign, ExprStmt, If {
        int line();
    }

    record Block(List<Stmt> body, int line) implements Stmt {
    }

    /** {@code r = e;} (also a declaration with an initializer), or a plain store {@code *p = e;}. */
    record Assign(Expr target, Expr value, int line) implements Stmt {
    }

    record ExprStmt(Expr expr, int line) implements Stmt {
    }

    record If(Expr cond, Stmt then, Stmt otherwise, int line) implements Stmt {
    }
}
