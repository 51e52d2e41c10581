package org.gupsim.litmus;

/** One token of a litmus file and the line it starts on. */
record Token(Type type, String text, int line) {

    enum Type { IDENT, NUMBER, PUNCT, EOF }

    boolean is(String s) {
        return type != Type.EOF && text.equals(s);
    }

    @Override
    public String toString() {
        return type == Type.EOF ? "end of file" : "'" + text + "'";
    }
}
