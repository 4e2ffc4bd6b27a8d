package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code generalise} of dates, addresses and categorical values ({@link NumberGeneralisation} for numbers). */
final class Generalisations {

    private Generalisations() {
    }

    /**
     * {@code kind: date}: an ISO 8601 date or date-time to its {@code to}: {@code year} ("1958"),
     * {@code quarter} ("1958-Q3") or {@code month} ("1958-09"). A partial date coarser than asked stays
     * at its own precision (a year stays a year). Anything else becomes "*" with a warning.
     */
    static final class Date implements FieldRule {
        private final String to;

        Date(String to) {
            this.to = to;
        }

        static Date parse(RuleSpec spec) throws PolicyException {
            return new Date(spec.choice("to", null, "year", "quarter", "month"));
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "date");
            out.put("to", to);
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
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
    }

    /**
     * {@code kind: address}: split on "," and "，" (U+FF0C), parts trimmed and empty ones dropped; the
     * {@code dropLevels} finest parts (default 1) are dropped, the finest being the {@code first} part
     * (default, as "Chaoyang park, chaoyang district, Beijing") or the {@code last} (as addresses written
     * from the province down); the rest are joined with {@code separator} (default ", "). An address with
     * no more parts than are dropped becomes "*".
     */
    static final class Address implements FieldRule {
        private final int dropLevels;
        private final boolean finestFirst;
        private final String separator;

        Address(int dropLevels, boolean finestFirst, String separator) {
            this.dropLevels = dropLevels;
            this.finestFirst = finestFirst;
            this.separator = separator;
        }

        static Address parse(RuleSpec spec) throws PolicyException {
            return new Address(spec.integer("dropLevels", 1, 1, 100),
                    spec.choice("finest", "first", "first", "last").equals("first"),
                    spec.string("separator", ", "));
        }

        @Override
        public String type() {
            return "generalise";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("kind", "address");
            out.put("dropLevels", dropLevels);
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
            if (parts.size() <= dropLevels) {
                return Values.STAR;
            }
            List<String> kept = finestFirst ? parts.subList(dropLevels, parts.size())
                    : parts.subList(0, parts.size() - dropLevels);
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
