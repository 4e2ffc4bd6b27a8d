package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code name}: keep the family name, one '*' per unit of the given name.
 *
 * <ul>
 * <li>A name with a Han character keeps its first character (the family name) and writes '*' for
 *     each following one; spaces are dropped and middle dots (·) kept: 王小明 → 王**.</li>
 * <li>A romanised name is split into tokens at white space. With {@code familyName: last} (default,
 *     the paper's order "Sihua Wu") the last token is the family name; with {@code first} the first.
 *     Each given-name token counts its {@link Pinyin} syllables ("Xiaoming" two, "Xian" one); a token
 *     that is not pinyin counts one. The masks are joined without spaces and set one space from the
 *     family name: "** Wu" (or "Wu **").</li>
 * <li>A romanised name without a space is split into syllables, the last (or first) being the family
 *     name: "YangYang" → "* Yang".</li>
 * <li>A name of one unit (one Han character, one syllable, or one token that is not pinyin) is left
 *     as it is: it is a family name alone. An empty or blank name is left as it is.</li>
 * </ul>
 * A value that is not a string becomes "*" with a warning.
 */
final class NameRule implements FieldRule {

    private final boolean familyLast;

    NameRule(boolean familyLast) {
        this.familyLast = familyLast;
    }

    static NameRule parse(RuleSpec spec) throws PolicyException {
        return new NameRule(spec.choice("familyName", "last", "last", "first").equals("last"));
    }

    @Override
    public String type() {
        return "name";
    }

    @Override
    public void describe(ObjectNode out) {
        out.put("familyName", familyLast ? "last" : "first");
    }

    @Override
    public JsonNode apply(JsonNode value, MaskContext context, String where) {
        if (!value.isTextual()) {
            context.warn(where, "expected a string, found " + Values.kind(value) + "; replaced by *");
            return Values.STAR;
        }
        String name = value.textValue();
        String masked = mask(name);
        return masked.equals(name) ? value : TextNode.valueOf(masked);
    }

    /** The masked form of a name (see the class comment). */
    String mask(String name) {
        String s = name.strip();
        if (s.isEmpty()) {
            return name;
        }
        if (hasHan(s)) {
            return maskHan(s, name);
        }
        List<String> tokens = tokens(s);
        if (tokens.size() == 1) {
            String token = tokens.get(0);
            int[] syllables = Pinyin.segment(token);
            if (syllables == null || syllables.length <= 2) {
                return name;
            }
            int units = syllables.length / 2 - 1;
            if (familyLast) {
                return "*".repeat(units) + " " + token.substring(syllables[syllables.length - 2]);
            }
            return token.substring(0, syllables[1]) + " " + "*".repeat(units);
        }
        int units = 0;
        int from = familyLast ? 0 : 1;
        int to = familyLast ? tokens.size() - 1 : tokens.size();
        for (int i = from; i < to; i++) {
            units += Math.max(1, Pinyin.countSyllables(tokens.get(i)));
        }
        String family = familyLast ? tokens.get(tokens.size() - 1) : tokens.get(0);
        return familyLast ? "*".repeat(units) + " " + family : family + " " + "*".repeat(units);
    }

    private static List<String> tokens(String s) {
        List<String> tokens = new ArrayList<>(3);
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(s.substring(start, i));
            }
        }
        return tokens;
    }

    private static boolean hasHan(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp >= 0x2E80 && Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static String maskHan(String s, String original) {
        StringBuilder out = new StringBuilder(s.length());
        int first = s.codePointAt(0);
        out.appendCodePoint(first);
        boolean masked = false;
        for (int i = Character.charCount(first); i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || cp == '\u3000') {
                continue;
            }
            if (cp == '\u00B7' || cp == '\u30FB' || cp == '\u2022' || cp == '\u2027' || cp == '\uFF0E' || cp == '.') {
                out.appendCodePoint(cp);
            } else {
                out.append('*');
                masked = true;
            }
        }
        return masked ? out.toString() : original;
    }
}
