package org.emrsb.core.masking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The standard Hanyu Pinyin syllable table ({@code pinyin-syllables.txt} beside this class, 410
 * syllables plus the ASCII spellings of ü after l and n) and the segmentation of a romanised name
 * into syllables: longest match first, backing off to shorter matches only when the rest of the
 * word would not segment ("Xiaoming" is xiao+ming, "Xian" one syllable, "Huangu" huan+gu).
 * Matching ignores case, tone marks and the diaeresis. Stateless and thread-safe.
 */
public final class Pinyin {

    private static final Set<String> SYLLABLES = load();
    private static final int LONGEST;

    static {
        int longest = 0;
        for (String s : SYLLABLES) {
            longest = Math.max(longest, s.length());
        }
        LONGEST = longest;
    }

    private Pinyin() {
    }

    /** The syllables of the table, lowercase ASCII (ü as v and u after l and n). */
    public static Set<String> syllables() {
        return SYLLABLES;
    }

    /** Whether {@code word} (any case) is one syllable of the table. */
    public static boolean isSyllable(String word) {
        return SYLLABLES.contains(word.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The number of pinyin syllables in one written token, or 0 if the token is not pinyin. The
     * apostrophe and the hyphen separate syllables ("Xi'an", "Ching-kuo" would be two words) and
     * each part must segment on its own.
     */
    public static int countSyllables(String token) {
        int[] bounds = segment(token);
        return bounds == null ? 0 : bounds.length / 2;
    }

    /**
     * The syllables of a token as {@code [start0, end0, start1, end1, ...]} indices into the token
     * as written, or null if the token is not wholly pinyin. Empty parts between separators are
     * ignored; a token with no letters is not pinyin.
     */
    static int[] segment(String token) {
        int n = token.length();
        // Normalised letters and, for each, the index of the written character it came from.
        char[] letters = new char[n];
        int[] origin = new int[n + 1];
        int count = 0;
        // Parts are separated by apostrophes and hyphens: partStart marks where each begins.
        boolean[] partStart = new boolean[n + 1];
        boolean newPart = true;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c == '\'' || c == '\u2019' || c == '-' || c == '\u2010') {
                newPart = true;
                continue;
            }
            char base;
            if (c < 0x80) {
                base = c;
            } else if (Character.getType(c) == Character.NON_SPACING_MARK) {
                if (count == 0) {
                    return null;
                }
                continue; // an accent written as a separate combining character
            } else {
                String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
                base = decomposed.charAt(0);
                for (int k = 1; k < decomposed.length(); k++) {
                    if (Character.getType(decomposed.charAt(k)) != Character.NON_SPACING_MARK) {
                        return null;
                    }
                }
            }
            if (base >= 'A' && base <= 'Z') {
                base = (char) (base + ('a' - 'A'));
            }
            if (base < 'a' || base > 'z') {
                return null;
            }
            partStart[count] = newPart;
            newPart = false;
            letters[count] = base;
            origin[count] = i;
            count++;
        }
        if (count == 0) {
            return null;
        }
        origin[count] = n;
        partStart[count] = true;
        int[] ends = new int[count + 1]; // ends[i]: end of the syllable starting at i in the solution
        boolean[] dead = new boolean[count + 1]; // positions known not to segment
        if (!solve(letters, count, 0, partStart, ends, dead)) {
            return null;
        }
        int syllables = 0;
        for (int i = 0; i < count; i = ends[i]) {
            syllables++;
        }
        int[] out = new int[2 * syllables];
        int k = 0;
        for (int i = 0; i < count; i = ends[i]) {
            out[k++] = origin[i];
            // The end as written: just after the last letter of the syllable (accents included).
            int lastLetter = origin[ends[i] - 1];
            int end = lastLetter + 1;
            while (end < n && Character.getType(token.charAt(end)) == Character.NON_SPACING_MARK) {
                end++;
            }
            out[k++] = end;
        }
        return out;
    }

    private static boolean solve(char[] letters, int count, int from, boolean[] partStart, int[] ends, boolean[] dead) {
        if (from == count) {
            return true;
        }
        if (dead[from]) {
            return false;
        }
        // A syllable never spans a separator: it may end at most at the next part start.
        int limit = from + 1;
        while (limit < count && !partStart[limit]) {
            limit++;
        }
        for (int len = Math.min(LONGEST, limit - from); len >= 1; len--) {
            if (SYLLABLES.contains(new String(letters, from, len))
                    && solve(letters, count, from + len, partStart, ends, dead)) {
                ends[from] = from + len;
                return true;
            }
        }
        dead[from] = true;
        return false;
    }

    private static Set<String> load() {
        Set<String> set = new HashSet<>();
        try (InputStream in = Pinyin.class.getResourceAsStream("pinyin-syllables.txt")) {
            if (in == null) {
                throw new IllegalStateException("pinyin-syllables.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                Arrays.stream(line.substring(colon + 1).trim().split("\\s+")).forEach(set::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(set);
    }
}
