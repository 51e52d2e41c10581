package org.gupsim.litmus;

/** The final clause of a litmus test, and what herd7 calls the test for each. */
public enum Quantifier {
    /** {@code exists}: can some execution end in the state? herd7: "Allowed". */
    EXISTS("exists", "Allowed"),
    /** {@code ~exists}: can no execution end in it? herd7: "Forbidden". */
    NOT_EXISTS("~exists", "Forbidden"),
    /** {@code forall}: does every execution end in it? herd7: "Required". */
    FORALL("forall", "Required");

    private final String keyword;
    private final String kind;

    Quantifier(String keyword, String kind) {
        this.keyword = keyword;
        this.kind = kind;
    }

    public String keyword() {
        return keyword;
    }

    /** The word on herd7's {@code Test NAME ...} line. */
    public String kind() {
        return kind;
    }
}
