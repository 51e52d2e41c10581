package org.gupsim.litmus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the C litmus format of the kernel's tools/memory-model (and herd7's C tests): a
 * {@code C NAME} line, an optional {@code (* comment *)}, the initial-state block, {@code Pn(...)}
 * threads in a subset of C, and the final clauses ({@code locations [...]}, {@code filter},
 * {@code exists}/{@code ~exists}/{@code forall}). What it cannot read is a
 * {@link LitmusSyntaxException} with the line.
 */
public final class LitmusParser {
    private static final Set<String> TYPE_WORDS = Set.of("int", "long", "unsigned", "signed", "short", "char",
            "bool", "_Bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uintptr_t", "intptr_t",
            "size_t", "atomic_t", "atomic_long_t", "spinlock_t", "void", "const", "volatile", "struct");

    /** The deepest nesting a test may have: {@link #deeper(Token)}. */
    static final int MAX_NESTING = 200;

    private final List<Token> toks;
    private int pos;
    private int depth;

    private LitmusParser(List<Token> toks) {
        this.toks = toks;
    }

    /** Parses the text of one litmus file. */
    public static LitmusTest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        String[] lines = text.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new LitmusSyntaxException(1, "empty file: a C litmus test starts with a 'C NAME' line");
        }
        String[] head = lines[first].trim().split("\\s+");
        if (!head[0].equals("C")) {
            throw new LitmusSyntaxException(first + 1, "not a C litmus test: the first line must be 'C NAME', was '"
                    + printable(lines[first].trim()) + "'");
        }
        if (head.length < 2) {
            throw new LitmusSyntaxException(first + 1, "the 'C' line has no test name");
        }
        String name = head[1];
        // the prelude: comments (* ... *), "doc strings" and key=value lines, up to the initial block
        int offset = 0;
        for (int i = 0; i <= first; i++) {
            offset += lines[i].length() + 1;
        }
        int line = first + 2;
        int i = offset;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                line += c == '\n' ? 1 : 0;
                i++;
            } else if (text.startsWith("(*", i)) {
                int depth = 0;
                int start = line;
                while (true) {
                    if (i >= text.length()) {
                        throw new LitmusSyntaxException(start, "unterminated (* comment");
                    }
                    if (text.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        if (text.charAt(i) == '\n') {
                            line++;
                        }
                        i++;
                    }
                }
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new LitmusSyntaxException(line, "unterminated string");
                }
                line += Lexer.newlines(text, i, end);
                i = end + 1;
            } else if (c == '{') {
                break;
            } else {
                int eol = text.indexOf('\n', i);
                String rest = text.substring(i, eol < 0 ? text.length() : eol);
                if (!rest.matches("[A-Za-z_][A-Za-z0-9_]*\\s*=.*")) {
                    throw new LitmusSyntaxException(line, "expected the initial-state block '{', found '"
                            + printable(rest.trim()) + "'");
                }
                i = eol < 0 ? text.length() : eol;
            }
        }
        if (i >= text.length()) {
            throw new LitmusSyntaxException(line, "no initial-state block '{ ... }'");
        }
        LitmusParser p = new LitmusParser(Lexer.lex(text.substring(i), line));
        return p.test(name);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(Lexer.printable(c));
        }
        return sb.length() > 60 ? sb.substring(0, 60) + "..." : sb.toString();
    }

    // ---- tokens

    private Token peek() {
        return toks.get(pos);
    }

    private Token peek(int k) {
        return toks.get(Math.min(pos + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(pos);
        if (t.type() != Token.Type.EOF) {
            pos++;
        }
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(String s) {
        Token t = next();
        if (!t.is(s)) {
            throw new LitmusSyntaxException(t.line(), "expected '" + s + "', found " + t);
        }
        return t;
    }

    private Token ident(String what) {
        Token t = next();
        if (t.type() != Token.Type.IDENT) {
            throw new LitmusSyntaxException(t.line(), "expected " + what + ", found " + t);
        }
        return t;
    }

    // ---- the test

    private LitmusTest test(String name) {
        Map<String, Value> init = new LinkedHashMap<>();
        Map<StateVar, Value> regInit = new LinkedHashMap<>();
        int initLine = peek().line();
        initBlock(init, regInit);
        Map<Integer, ThreadCode> threads = new TreeMap<>();
        while (peek().type() == Token.Type.IDENT && peek().text().matches("P[0-9]+")) {
            Token t = next();
            int index = threadNumber(t, t.text().substring(1));
            if (threads.containsKey(index)) {
                throw new LitmusSyntaxException(t.line(), "thread " + t.text() + " is defined twice");
            }
            List<String> params = params();
            for (String prm : params) {
                init.putIfAbsent(prm, Value.of(0));
            }
            threads.put(index, new ThreadCode(index, params, block()));
        }
        if (threads.isEmpty()) {
            throw new LitmusSyntaxException(peek().line(), "expected a thread 'P0(...)', found " + peek());
        }
        int expected = 0;
        for (int index : threads.keySet()) {
            if (index != expected) {
                throw new LitmusSyntaxException(peek().line(), "threads must be P0, P1, ... without gaps; P"
                        + expected + " is missing");
            }
            expected++;
        }
        for (StateVar v : regInit.keySet()) {
            if (v.thread() >= threads.size()) {
                throw new LitmusSyntaxException(initLine, "the initial value of " + v + " is for thread " + v.thread()
                        + ", which does not exist (the test has " + threads.size() + ")");
            }
        }
        List<StateVar> locations = new ArrayList<>();
        Prop filter = null;
        Quantifier q = null;
        Prop cond = null;
        while (q == null) {
            Token t = peek();
            if (t.is("locations")) {
                next();
                expect("[");
                while (!accept("]")) {
                    if (accept(";")) {
                        continue;
                    }
                    locations.add(stateVar(threads.size()));
                }
            } else if (t.is("filter")) {
                next();
                filter = prop(threads.size());
            } else if (t.is("exists")) {
                next();
                q = Quantifier.EXISTS;
            } else if (t.is("~") && peek(1).is("exists")) {
                next();
                next();
                q = Quantifier.NOT_EXISTS;
            } else if (t.is("forall")) {
                next();
                q = Quantifier.FORALL;
            } else {
                throw new LitmusSyntaxException(t.line(), "expected 'exists', '~exists', 'forall', 'filter' or "
                        + "'locations', found " + t);
            }
        }
        cond = prop(threads.size());
        if (peek().type() != Token.Type.EOF) {
            throw new LitmusSyntaxException(peek().line(), "unexpected " + peek() + " after the final condition");
        }
        for (Map.Entry<String, Value> e : init.entrySet()) {
            if (e.getValue().isAddress() && !init.containsKey(e.getValue().loc())) {
                throw new LitmusSyntaxException(initLine, "the initial value of '" + e.getKey() + "' is the address of '"
                        + e.getValue().loc() + "', which no thread or initial value declares");
            }
        }
        checkVars(cond, init, threads.size());
        if (filter != null) {
            checkVars(filter, init, threads.size());
        }
        for (StateVar v : locations) {
            if (!v.isRegister() && !init.containsKey(v.name())) {
                throw new LitmusSyntaxException(toks.get(toks.size() - 1).line(),
                        "locations names '" + v.name() + "', which no thread or initial value declares");
            }
        }
        return new LitmusTest(name, init, regInit, List.copyOf(threads.values()), locations, filter, q, cond);
    }

    private void checkVars(Prop p, Map<String, Value> init, int threads) {
        Set<StateVar> vars = new java.util.TreeSet<>();
        p.vars(vars);
        for (StateVar v : vars) {
            if (!v.isRegister() && !init.containsKey(v.name())) {
                throw new LitmusSyntaxException(toks.get(toks.size() - 1).line(),
                        "the condition names '" + v.name() + "', which no thread or initial value declares");
            }
        }
    }

    private void initBlock(Map<String, Value> init, Map<StateVar, Value> regInit) {
        expect("{");
        while (!accept("}")) {
            if (accept(";")) {
                continue;
            }
            Token start = peek();
            if (start.type() == Token.Type.NUMBER && peek(1).is(":")) {
                int thread = threadNumber(start, next().text());
                next();
                String reg = ident("a register name").text();
                expect("=");
                regInit.put(new StateVar(thread, reg), initValue());
            } else {
                String name = null;
                while (peek().type() == Token.Type.IDENT || peek().is("*")) {
                    Token t = next();
                    if (t.type() == Token.Type.IDENT) {
                        name = t.text();
                    }
                }
                if (name == null || TYPE_WORDS.contains(name)) {
                    throw new LitmusSyntaxException(start.line(), "expected a declaration 'type name [= value];', found "
                            + start);
                }
                init.put(name, accept("=") ? initValue() : Value.of(0));
            }
            if (!peek().is("}")) {
                expect(";");
            }
        }
    }

    /**
     * A value both the initial state and the final condition write the same way: a number, a
     * negated number or {@code &location}; null if {@code t} starts none.
     */
    private Value literal(Token t) {
        if (t.is("-") && peek().type() == Token.Type.NUMBER) {
            return Value.of(-Lexer.parseNumber(next().text()));
        }
        if (t.type() == Token.Type.NUMBER) {
            return Value.of(Lexer.parseNumber(t.text()));
        }
        if (t.is("&")) {
            return Value.addr(ident("a location name").text());
        }
        return null;
    }

    private Value initValue() {
        Token t = next();
        Value literal = literal(t);
        if (literal != null) {
            return literal;
        }
        if (t.is("ATOMIC_INIT")) {
            expect("(");
            Value v = initValue();
            expect(")");
            return v;
        }
        if (t.type() == Token.Type.IDENT) {
            return Value.addr(t.text());
        }
        throw new LitmusSyntaxException(t.line(), "expected an initial value (a number, &x or x), found " + t);
    }

    private List<String> params() {
        expect("(");
        List<String> out = new ArrayList<>();
        if (accept(")")) {
            return out;
        }
        while (true) {
            String name = null;
            int line = peek().line();
            while (peek().type() == Token.Type.IDENT || peek().is("*")) {
                Token t = next();
                if (t.type() == Token.Type.IDENT) {
                    name = t.text();
                }
            }
            if (name == null) {
                throw new LitmusSyntaxException(line, "expected a parameter 'type *name', found " + peek());
            }
            if (!name.equals("void")) {
                out.add(name);
            }
            if (accept(")")) {
                return out;
            }
            expect(",");
        }
    }

    // ---- statements

    private Ast.Block block() {
        Token open = expect("{");
        deeper(open);
        List<Ast.Stmt> body = new ArrayList<>();
        while (!accept("}")) {
            if (peek().type() == Token.Type.EOF) {
                throw new LitmusSyntaxException(open.line(), "unterminated block '{'");
            }
            statement(body);
        }
        depth--;
        return new Ast.Block(body, open.line());
    }

    private void statement(List<Ast.Stmt> out) {
        Token t = peek();
        if (t.is("{")) {
            out.add(block());
        } else if (t.is(";")) {
            next();
        } else if (t.is("if")) {
            next();
            deeper(t);
            expect("(");
            Ast.Expr cond = expr();
            expect(")");
            List<Ast.Stmt> then = new ArrayList<>();
            statement(then);
            List<Ast.Stmt> otherwise = new ArrayList<>();
            if (accept("else")) {
                statement(otherwise);
            }
            out.add(new Ast.If(cond, new Ast.Block(then, t.line()), new Ast.Block(otherwise, t.line()), t.line()));
            depth--;
        } else if (t.type() == Token.Type.IDENT && TYPE_WORDS.contains(t.text())) {
            declaration(out);
        } else if (t.type() == Token.Type.IDENT && Set.of("while", "for", "do", "goto", "return", "switch",
                "break", "continue").contains(t.text())) {
            throw new LitmusSyntaxException(t.line(), "'" + t.text() + "' is not supported: a litmus thread is "
                    + "straight-line code with if/else");
        } else {
            if (t.is("(") && peek(1).is("void") && peek(2).is(")")) {
                pos += 3;
            }
            Ast.Expr e = expr();
            if (accept("=")) {
                if (!(e instanceof Ast.Ident) && !(e instanceof Ast.Deref)) {
                    throw new LitmusSyntaxException(t.line(), "cannot assign to this expression");
                }
                out.add(new Ast.Assign(e, expr(), t.line()));
            } else {
                out.add(new Ast.ExprStmt(e, t.line()));
            }
            expect(";");
        }
    }

    private void declaration(List<Ast.Stmt> out) {
        while (peek().type() == Token.Type.IDENT && TYPE_WORDS.contains(peek().text())) {
            next();
        }
        while (true) {
            while (accept("*")) {
                // pointer declarator
            }
            Token name = ident("a variable name");
            if (accept("=")) {
                out.add(new Ast.Assign(new Ast.Ident(name.text(), name.line()), expr(), name.line()));
            }
            if (accept(";")) {
                return;
            }
            expect(",");
        }
    }

    // ---- expressions, by C precedence

    private static final List<List<String>> BINARY_LEVELS = List.of(
            List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"), List.of("==", "!="),
            List.of("<", "<=", ">", ">="), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

    private Ast.Expr expr() {
        return binary(0);
    }

    private Ast.Expr binary(int level) {
        if (level == BINARY_LEVELS.size()) {
            return unary();
        }
        Ast.Expr left = binary(level + 1);
        int chained = 0;
        while (true) {
            Token t = peek();
            if (t.type() == Token.Type.PUNCT && BINARY_LEVELS.get(level).contains(t.text())) {
                next();
                deeper(t);  // the tree nests one level per operator of the chain
                chained++;
                left = new Ast.Binary(t.text(), left, binary(level + 1), t.line());
            } else {
                depth -= chained;
                return left;
            }
        }
    }

    private Ast.Expr unary() {
        Token t = peek();
        if (t.is("!") || t.is("-") || t.is("~")) {
            next();
            deeper(t);
            Ast.Expr e = new Ast.Unary(t.text(), unary(), t.line());
            depth--;
            return e;
        }
        if (t.is("*")) {
            next();
            deeper(t);
            Ast.Expr e = new Ast.Deref(unary(), t.line());
            depth--;
            return e;
        }
        if (t.is("&")) {
            next();
            return new Ast.AddrOf(ident("a location name after '&'").text(), t.line());
        }
        if (t.is("(") && peek(1).type() == Token.Type.IDENT && TYPE_WORDS.contains(peek(1).text())) {
            next();
            while (peek().type() == Token.Type.IDENT || peek().is("*")) {
                next();
            }
            expect(")");
            return unary();
        }
        return primary();
    }

    private Ast.Expr primary() {
        Token t = next();
        if (t.type() == Token.Type.NUMBER) {
            return new Ast.Num(Lexer.parseNumber(t.text()), t.line());
        }
        if (t.is("(")) {
            deeper(t);
            Ast.Expr e = expr();
            expect(")");
            depth--;
            return e;
        }
        if (t.type() == Token.Type.IDENT) {
            if (accept("(")) {
                List<Ast.Expr> args = new ArrayList<>();
                if (!accept(")")) {
                    do {
                        args.add(expr());
                    } while (accept(","));
                    expect(")");
                }
                return new Ast.Call(t.text(), args, t.line());
            }
            return new Ast.Ident(t.text(), t.line());
        }
        throw new LitmusSyntaxException(t.line(), "expected an expression, found " + t);
    }

    // ---- the final condition

    private Prop prop(int threads) {
        Prop p = conj(threads);
        int chained = 0;
        while (peek().is("\\/")) {
            deeper(next());
            chained++;
            p = new Prop.Or(p, conj(threads));
        }
        depth -= chained;
        return p;
    }

    private Prop conj(int threads) {
        Prop p = atom(threads);
        int chained = 0;
        while (peek().is("/\\")) {
            deeper(next());
            chained++;
            p = new Prop.And(p, atom(threads));
        }
        depth -= chained;
        return p;
    }

    private Prop atom(int threads) {
        if (peek().is("~")) {
            deeper(next());
            Prop p = new Prop.Not(atom(threads));
            depth--;
            return p;
        }
        if (peek().is("(")) {
            deeper(next());
            Prop p = prop(threads);
            expect(")");
            depth--;
            return p;
        }
        if (accept("true")) {
            return new Prop.True();
        }
        if (accept("false")) {
            return new Prop.Not(new Prop.True());
        }
        StateVar v = stateVar(threads);
        boolean equal;
        if (accept("=") || accept("==")) {
            equal = true;
        } else if (accept("!=")) {
            equal = false;
        } else {
            throw new LitmusSyntaxException(peek().line(), "expected '=' after " + v + ", found " + peek());
        }
        return new Prop.Atom(v, condValue(), equal);
    }

    /**
     * The thread number {@code digits} (of {@code P3} or {@code 3:r0}); one too large for any test
     * is refused with its line rather than failing as a number.
     */
    private static int threadNumber(Token t, String digits) {
        try {
            long n = Lexer.parseNumber(digits);
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // beyond a long: too large as well
        }
        throw new LitmusSyntaxException(t.line(), "thread number " + digits + " is too large");
    }

    /**
     * Enters one more level of nesting (a block, an if, parentheses, a unary operator, one more
     * operator of a chain) at {@code t}. A litmus test nests a few levels; a file nesting
     * thousands would overflow the parser's and the interpreter's stacks, so it is refused here,
     * with its line.
     */
    private void deeper(Token t) {
        if (++depth > MAX_NESTING) {
            throw new LitmusSyntaxException(t.line(), "nested more than " + MAX_NESTING + " levels deep (blocks, "
                    + "parentheses, operators in a row)");
        }
    }

    private StateVar stateVar(int threads) {
        Token t = next();
        if (t.type() == Token.Type.NUMBER && peek().is(":")) {
            next();
            int thread = threadNumber(t, t.text());
            if (thread >= threads) {
                throw new LitmusSyntaxException(t.line(), "thread " + thread + " does not exist (the test has "
                        + threads + ")");
            }
            return new StateVar(thread, ident("a register name").text());
        }
        if (t.type() == Token.Type.IDENT) {
            return new StateVar(-1, t.text());
        }
        throw new LitmusSyntaxException(t.line(), "expected a register 'N:r' or a location, found " + t);
    }

    private Value condValue() {
        Token t = next();
        Value literal = literal(t);
        if (literal != null) {
            return literal;
        }
        if (t.type() == Token.Type.IDENT) {
            return Value.addr(t.text());
        }
        throw new LitmusSyntaxException(t.line(), "expected a value, found " + t);
    }
}
