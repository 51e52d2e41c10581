package org.gupsim.litmus;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the C part of a litmus file (from the initial-state block on) into tokens, skipping C
 * comments. Identifiers may contain letters, digits, {@code _} and {@code .}; numbers are decimal
 * or hexadecimal. Anything else that is not a known operator is refused with its line.
 */
final class Lexer {
    private static final String[] PUNCTS = {
        "/\\", "\\/", "==", "!=", "<=", ">=", "&&", "||", "->", "<<", ">>",
        "{", "}", "(", ")", "[", "]", ";", ",", ":", "=", "*", "&", "+", "-", "~", "!", "<", ">", "|", "^", "/", "%"
    };

    private Lexer() {
    }

    static List<Token> lex(String text, int firstLine) {
        List<Token> out = new ArrayList<>();
        int line = firstLine;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                line += c == '\n' ? 1 : 0;
                i++;
            } else if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new LitmusSyntaxException(line, "unterminated /* comment");
                }
                line += newlines(text, i, end);
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Token.Type.IDENT, text.substring(s, i), line));
            } else if (c >= '0' && c <= '9') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)))) {
                    i++;
                }
                String num = text.substring(s, i);
                try {
                    parseNumber(num);
                } catch (NumberFormatException e) {
                    throw new LitmusSyntaxException(line, "'" + num + "' is not a number");
                }
                out.add(new Token(Token.Type.NUMBER, num, line));
            } else {
                String p = null;
                for (String cand : PUNCTS) {
                    if (text.startsWith(cand, i)) {
                        p = cand;
                        break;
                    }
                }
                if (p == null) {
                    throw new LitmusSyntaxException(line, "unexpected character '" + printable(c) + "'");
                }
                out.add(new Token(Token.Type.PUNCT, p, line));
                i += p.length();
            }
        }
        out.add(new Token(Token.Type.EOF, "", line));
        return out;
    }

    /** How many line ends {@code text} has from {@code from} up to {@code to}: the lines a skipped block spans. */
    static int newlines(String text, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    static long parseNumber(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Long.parseLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
