package org.gupsim.litmus;

/** The final clause of a litmus test, and what herd7 calls the test for each. */
public enum Quantifier {
    /** {@code exists}: can some execution end in the state? herd7: "Allowed". */
    EXISTS,
    /** {@code ~exists}: can no execution end in it? herd7: "Forbidden". */
    NOT_EXISTS,
    /** {@code forall}: does every execution end in it? herd7: "Required". */
    FORALL;

    /** The clause's keyword in the test file. */
    public String keyword() {
        return switch (this) {
            case EXISTS -> "exists";
            case NOT_EXISTS -> "~exists";
            case FORALL -> "forall";
        };
    }

    /** The word on herd7's {@code Test NAME ...} line. */
    public String kind() {
        return switch (this) {
            case EXISTS -> "Allowed";
            case NOT_EXISTS -> "Forbidden";
            case FORALL -> "Required";
        };
    }
}
