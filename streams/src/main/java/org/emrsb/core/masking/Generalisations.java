package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code generalise} of dates, addresses and categorical values ({@link NumberGeneralisation} for numbers). */
final class Generalisations {

    private Generalisations() {
    }

    /**
     * {@code kind: date}: an ISO 8601 date or date-time to its {@code to}: {@code year} ("1958"),
     * {@code quarter} ("1958-Q3") or {@code month} ("1958-09"). A partial date coarser than asked stays
     * at its own precision (a year stays a year). Anything else becomes "*" with a warning.
     *
     * <p>With {@code ageField} (a path without {@code [*]}) and {@code ageTopCodeAt}, a date of a record
     * whose original age there is a number (or a string holding one) at or above {@code ageTopCodeAt}
     * becomes {@code ageTopCodeLabel} (default "*"), since its year would tell the age (HIPAA Safe
     * Harbor's birth year of a patient over 89).
     */
    static final class Date implements FieldRule {
        private final String to;
        private final FieldPath ageField;
        private final BigDecimal ageTopCodeAt;
        private final TextNode ageTopCodeLabel;

        Date(String to, FieldPath ageField, BigDecimal ageTopCodeAt, String ageTopCodeLabel) {
            this.to = to;
            this.ageField = ageField;
            this.ageTopCodeAt = ageTopCodeAt;
            this.ageTopCodeLabel = ageTopCodeLabel == null ? null : TextNode.valueOf(ageTopCodeLabel);
        }

        static Date parse(RuleSpec spec) throws PolicyException {
            String to = spec.choice("to", null, "year", "quarter", "month");
            if (!spec.has("ageField")) {
                if (spec.has("ageTopCodeAt") || spec.has("ageTopCodeLabel")) {
                    throw spec.error("'ageTopCodeAt' and 'ageTopCodeLabel' need 'ageField'");
                }
                return new Date(to, null, null, null);
            }
            FieldPath ageField;
            try {
                ageField = FieldPath.parse(spec.string("ageField", null));
            } catch (IllegalArgumentException e) {
                throw spec.error("'ageField': " + e.getMessage());
            }
            if (ageField.hasWildcard()) {
                throw spec.error("'ageField' must name one field, without [*]");
            }
            BigDecimal at = spec.number("ageTopCodeAt", false);
            if (at == null) {
                throw spec.error("'ageField' needs 'ageTopCodeAt' (a number)");
            }
            return new Date(to, ageField, at, spec.string("ageTopCodeLabel", "*"));
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "date");
            out.put("to", to);
            if (ageField != null) {
                out.put("ageField", ageField.text());
                Values.putNumber(out, "ageTopCodeAt", ageTopCodeAt);
                out.put("ageTopCodeLabel", ageTopCodeLabel.textValue());
            }
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            if (ageField != null && topCoded(context.original(ageField))) {
                return ageTopCodeLabel;
            }
            IsoDate date = IsoDate.parseOrWarn(value, context, where);
            if (date == null) {
                return Values.STAR;
            }
            String year = IsoDate.year(date.year());
            if (date.month() == 0 || to.equals("year")) {
                return TextNode.valueOf(year);
            }
            if (to.equals("quarter")) {
                return TextNode.valueOf(year + "-Q" + ((date.month() - 1) / 3 + 1));
            }
            return TextNode.valueOf(year + "-" + IsoDate.twoDigits(date.month()));
        }

        @Override
        public boolean mayBeOutput(JsonNode value) {
            if (ageTopCodeLabel != null && ageTopCodeLabel.equals(value)) {
                return true;
            }
            if (Values.STAR.equals(value)) {
                return true;
            }
            return value.equals(apply(value, new MaskContext(null, null, null), "check"));
        }

        private boolean topCoded(JsonNode age) {
            String text = Values.scalarText(age);
            if (text == null) {
                return false;
            }
            try {
                return new BigDecimal(text.strip()).compareTo(ageTopCodeAt) >= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /**
     * {@code kind: address}: split on "," and "，" (U+FF0C), parts trimmed and empty ones dropped; the
     * {@code dropLevels} finest parts (default 1) are dropped, the finest being the {@code first} part
     * (default, as "Chaoyang park, chaoyang district, Beijing") or the {@code last} (as addresses written
     * from the province down); the rest are joined with {@code separator} (default ", "). An address with
     * no more parts than are dropped becomes "*". With {@code keepLevels} instead of {@code dropLevels},
     * the {@code keepLevels} coarsest parts are kept and the finer ones dropped ("Wuhou district, Chengdu,
     * Sichuan" with keepLevels 2 is "Chengdu, Sichuan"), whatever the address's depth; an address of no
     * more parts is kept whole, so the addresses must be written down to their coarsest level.
     */
    static final class Address implements FieldRule {
        private final int dropLevels; // 0 with keepLevels
        private final int keepLevels; // 0 with dropLevels
        private final boolean finestFirst;
        private final String separator;

        Address(int dropLevels, int keepLevels, boolean finestFirst, String separator) {
            this.dropLevels = dropLevels;
            this.keepLevels = keepLevels;
            this.finestFirst = finestFirst;
            this.separator = separator;
        }

        static Address parse(RuleSpec spec) throws PolicyException {
            int drop = 0;
            int keep = 0;
            if (spec.has("keepLevels")) {
                if (spec.has("dropLevels")) {
                    throw spec.error("give either 'dropLevels' or 'keepLevels', not both");
                }
                keep = spec.integer("keepLevels", null, 1, 100);
            } else {
                drop = spec.integer("dropLevels", 1, 1, 100);
            }
            return new Address(drop, keep, spec.choice("finest", "first", "first", "last").equals("first"),
                    spec.string("separator", ", "));
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "address");
            if (keepLevels > 0) {
                out.put("keepLevels", keepLevels);
            } else {
                out.put("dropLevels", dropLevels);
            }
            out.put("finest", finestFirst ? "first" : "last");
            out.put("separator", separator);
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            if (!value.isTextual()) {
                context.warn(where, "expected a string, found " + Values.kind(value) + "; replaced by *");
                return Values.STAR;
            }
            List<String> parts = split(value.textValue());
            if (parts.isEmpty()) {
                return Values.STAR;
            }
            int drop = keepLevels > 0 ? Math.max(0, parts.size() - keepLevels) : dropLevels;
            if (parts.size() <= drop) {
                return Values.STAR;
            }
            List<String> kept = finestFirst ? parts.subList(drop, parts.size())
                    : parts.subList(0, parts.size() - drop);
            return TextNode.valueOf(String.join(separator, kept));
        }

        static List<String> split(String address) {
            List<String> parts = new ArrayList<>(4);
            int start = 0;
            int n = address.length();
            for (int i = 0; i <= n; i++) {
                if (i == n || address.charAt(i) == ',' || address.charAt(i) == '\uFF0C') {
                    String part = address.substring(start, i).strip();
                    if (!part.isEmpty()) {
                        parts.add(part);
                    }
                    start = i + 1;
                }
            }
            return parts;
        }
    }

    /**
     * {@code kind: zip3}: a US ZIP code (5 digits, or ZIP+4 as 9 digits with or without '-'; a JSON
     * number below 100000 is read with its leading zeros) to its first three digits, or to
     * {@code replacement} (default "000") when those are in {@code restricted} (default: the 17 ZIP3
     * areas with 20,000 people or fewer in the 2000 Census that HHS's Safe Harbor guidance lists,
     * {@code hipaa-zip3-restricted.txt} beside this class). Anything else becomes "*" with a warning.
     */
    static final class Zip3 implements FieldRule {
        static final List<String> HIPAA_RESTRICTED = loadRestricted();
        private static final Pattern ZIP = Pattern.compile("[0-9]{5}(-?[0-9]{4})?");

        private final List<String> restricted;
        private final TextNode replacement;

        Zip3(List<String> restricted, String replacement) {
            this.restricted = restricted;
            this.replacement = TextNode.valueOf(replacement);
        }

        static Zip3 parse(RuleSpec spec) throws PolicyException {
            List<String> list = spec.strings("restricted");
            if (list == null) {
                list = HIPAA_RESTRICTED;
            } else {
                TreeSet<String> sorted = new TreeSet<>();
                for (String z : list) {
                    if (!z.matches("[0-9]{3}")) {
                        throw spec.error("'restricted' must list ZIP3 codes of three digits");
                    }
                    sorted.add(z);
                }
                list = List.copyOf(sorted);
            }
            return new Zip3(list, spec.string("replacement", "000"));
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "zip3");
            ArrayNode r = out.putArray("restricted");
            restricted.forEach(r::add);
            out.put("replacement", replacement.textValue());
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            String zip = null;
            if (value.isTextual()) {
                String s = value.textValue().strip();
                if (ZIP.matcher(s).matches()) {
                    zip = s;
                }
            } else if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0
                    && value.longValue() < 100_000) {
                zip = String.format("%05d", value.longValue());
            }
            if (zip == null) {
                context.warn(where, "not a US ZIP code (5 or 9 digits); replaced by *");
                return Values.STAR;
            }
            String zip3 = zip.substring(0, 3);
            return restricted.contains(zip3) ? replacement : TextNode.valueOf(zip3);
        }

        @Override
        public boolean mayBeOutput(JsonNode value) {
            if (!value.isTextual()) {
                return false;
            }
            String s = value.textValue();
            return s.equals("*") || replacement.textValue().equals(s)
                    || (s.length() == 3 && Character.isDigit(s.charAt(0)) && Character.isDigit(s.charAt(1))
                    && Character.isDigit(s.charAt(2)) && s.chars().allMatch(c -> c >= '0' && c <= '9')
                    && !restricted.contains(s));
        }

        private static List<String> loadRestricted() {
            try (InputStream in = Generalisations.class.getResourceAsStream("hipaa-zip3-restricted.txt")) {
                if (in == null) {
                    throw new IllegalStateException("hipaa-zip3-restricted.txt is missing from the class path");
                }
                List<String> out = new ArrayList<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        out.add(t);
                    }
                }
                return List.copyOf(new TreeSet<>(out));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read hipaa-zip3-restricted.txt: " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@code kind: category}: a categorical value to its ancestor at {@code level} in a hierarchy given
     * as rows {@code value;level1;level2;...;*}, inline ({@code rows}) or in a UTF-8 file ({@code file},
     * relative to the policy file; blank lines and lines starting with # are skipped). Level 1 is the
     * first generalisation; a row shorter than the level gives its last (most general) entry. A value
     * (trimmed) that is in no row becomes "*" with a warning.
     */
    static final class Category implements FieldRule {
        static final int MAX_ROWS = 100_000;

        private final int level;
        private final Map<String, String[]> rows;

        Category(int level, Map<String, String[]> rows) {
            this.level = level;
            this.rows = rows;
        }

        static Category parse(RuleSpec spec) throws PolicyException {
            int level = spec.integer("level", null, 1, 1000);
            List<String> inline = spec.strings("rows");
            String file = spec.has("file") ? spec.string("file", null) : null;
            if ((inline == null) == (file == null)) {
                throw spec.error("give the hierarchy either as 'rows' or as 'file', not " + (inline == null ? "neither" : "both"));
            }
            List<String> lines = inline != null ? inline : readFile(spec, file);
            Map<String, String[]> rows = new LinkedHashMap<>();
            int number = 0;
            for (String line : lines) {
                number++;
                if (file != null && (line.isBlank() || line.strip().startsWith("#"))) {
                    continue;
                }
                String where = file != null ? file + " line " + number : "row " + number;
                String[] cells = line.split(";", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                    if (cells[i].isEmpty()) {
                        throw spec.error(where + " of the hierarchy has an empty entry");
                    }
                }
                if (cells.length < 2) {
                    throw spec.error(where + " of the hierarchy needs a value and at least one level (value;level1;...;*)");
                }
                if (rows.put(cells[0], cells) != null) {
                    throw spec.error(where + " of the hierarchy repeats a value given in an earlier row");
                }
            }
            if (rows.isEmpty()) {
                throw spec.error("the hierarchy has no rows");
            }
            if (rows.size() > MAX_ROWS) {
                throw spec.error("the hierarchy has more than " + MAX_ROWS + " rows");
            }
            return new Category(level, rows);
        }

        private static List<String> readFile(RuleSpec spec, String file) throws PolicyException {
            if (spec.baseDir == null) {
                throw spec.error("'file' needs a policy loaded from a file (relative paths are resolved beside it)");
            }
            Path path = spec.baseDir.resolve(file);
            try {
                if (Files.size(path) > 16L << 20) {
                    throw spec.error("hierarchy file " + file + " is larger than 16 MiB");
                }
                return Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw spec.error("cannot read hierarchy file " + file + " (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + ")", e);
            }
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "category");
            out.put("level", level);
            ArrayNode array = out.putArray("rows");
            for (String[] row : rows.values()) {
                array.add(String.join(";", Arrays.asList(row)));
            }
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            String text = Values.scalarText(value);
            String[] row = text == null ? null : rows.get(text.strip());
            if (row == null) {
                context.warn(where, text == null ? "expected a string, found " + Values.kind(value) + "; replaced by *"
                        : "value not in the hierarchy; replaced by *");
                return Values.STAR;
            }
            return TextNode.valueOf(row[Math.min(level, row.length - 1)]);
        }
    }
}
