package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.util.List;

/** The rules that keep, redact, mask out, pseudonymise and date-shift. */
final class Rules {

    private Rules() {
    }

    /** {@code keep}: the value as it is (the default for fields without a rule; useful to document intent). */
    static final class Keep implements FieldRule {
        static Keep parse(RuleSpec spec) {
            return new Keep();
        }

        @Override
        public String type() {
            return "keep";
        }

        @Override
        public void describe(ObjectNode out) {
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            return value;
        }
    }

    /** {@code redact}: the value replaced by a fixed string, {@code replacement} (default "*"), whatever it was. */
    static final class Redact implements FieldRule {
        private final TextNode replacement;

        Redact(String replacement) {
            this.replacement = TextNode.valueOf(replacement);
        }

        static Redact parse(RuleSpec spec) throws PolicyException {
            return new Redact(spec.string("replacement", "*"));
        }

        @Override
        public String type() {
            return "redact";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("replacement", replacement.textValue());
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            return replacement;
        }

        @Override
        public boolean mayBeOutput(JsonNode value) {
            return replacement.equals(value);
        }
    }

    /**
     * {@code remove}: the member dropped from its object, whatever its value (an element of an array,
     * reached through {@code [*]}, becomes null so that the other elements keep their places). For
     * fields that must not leave in any form, such as photos and biometrics.
     */
    static final class Remove implements FieldRule {
        static Remove parse(RuleSpec spec) {
            return new Remove();
        }

        @Override
        public String type() {
            return "remove";
        }

        @Override
        public void describe(ObjectNode out) {
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            return Values.REMOVED;
        }

        @Override
        public boolean mayBeOutput(JsonNode value) {
            return false;
        }
    }

    /**
     * {@code mask-out}: keep {@code keepPrefix} and {@code keepSuffix} units (code points; ASCII digits
     * only with {@code digitsOnly}, which first drops everything but the digits) and mask the rest with
     * {@code maskChar}: {@code maskLength} of them when set (the original length does not leak), else one
     * per masked unit. A value with fewer than {@code minLength} units (default one more than the kept
     * units), or whose length is not in {@code lengths} when that is given, is masked whole: maskLength
     * mask characters, or one per unit.
     */
    static final class MaskOut implements FieldRule {
        private final int keepPrefix;
        private final int keepSuffix;
        private final String maskChar;
        private final Integer maskLength;
        private final int minLength;
        private final List<Integer> lengths;
        private final boolean digitsOnly;
        private final String fixedMask;

        MaskOut(int keepPrefix, int keepSuffix, String maskChar, Integer maskLength, int minLength,
                List<Integer> lengths, boolean digitsOnly) {
            this.keepPrefix = keepPrefix;
            this.keepSuffix = keepSuffix;
            this.maskChar = maskChar;
            this.maskLength = maskLength;
            this.minLength = minLength;
            this.lengths = lengths;
            this.digitsOnly = digitsOnly;
            this.fixedMask = maskLength == null ? null : maskChar.repeat(maskLength);
        }

        static MaskOut parse(RuleSpec spec) throws PolicyException {
            int prefix = spec.integer("keepPrefix", 0, 0, 1000);
            int suffix = spec.integer("keepSuffix", 0, 0, 1000);
            String maskChar = spec.string("maskChar", "*");
            if (maskChar.codePointCount(0, maskChar.length()) != 1) {
                throw spec.error("'maskChar' must be exactly one character");
            }
            Integer maskLength = spec.has("maskLength") ? spec.integer("maskLength", null, 1, 1000) : null;
            int minLength = spec.integer("minLength", prefix + suffix + 1, 0, 100_000);
            if (minLength < prefix + suffix) {
                throw spec.error("'minLength' must be at least keepPrefix + keepSuffix (" + (prefix + suffix)
                        + "), or the kept units would overlap");
            }
            List<Integer> lengths = spec.integers("lengths", 0, 100_000);
            if (lengths != null && lengths.get(0) < prefix + suffix) {
                throw spec.error("every entry of 'lengths' must be at least keepPrefix + keepSuffix ("
                        + (prefix + suffix) + ")");
            }
            boolean digitsOnly = spec.bool("digitsOnly", false);
            return new MaskOut(prefix, suffix, maskChar, maskLength, minLength, lengths, digitsOnly);
        }

        @Override
        public String type() {
            return "mask-out";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("keepPrefix", keepPrefix);
            out.put("keepSuffix", keepSuffix);
            out.put("maskChar", maskChar);
            if (maskLength != null) {
                out.put("maskLength", maskLength);
            }
            out.put("minLength", minLength);
            if (lengths != null) {
                lengths.forEach(out.putArray("lengths")::add);
            }
            out.put("digitsOnly", digitsOnly);
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            String text = Values.scalarText(value);
            if (text == null) {
                context.warn(where, "expected a string or number, found " + Values.kind(value) + "; masked whole");
                return TextNode.valueOf(fixedMask != null ? fixedMask : maskChar);
            }
            return TextNode.valueOf(mask(digitsOnly ? digits(text) : text));
        }

        String mask(String s) {
            int n = s.codePointCount(0, s.length());
            if (n < minLength || (lengths != null && !lengths.contains(n))) {
                return fixedMask != null ? fixedMask : maskChar.repeat(n);
            }
            int prefixEnd = s.offsetByCodePoints(0, keepPrefix);
            int suffixStart = s.offsetByCodePoints(0, n - keepSuffix);
            String middle = fixedMask != null ? fixedMask : maskChar.repeat(n - keepPrefix - keepSuffix);
            return s.substring(0, prefixEnd) + middle + s.substring(suffixStart);
        }

        private static String digits(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int d = Character.digit(cp, 10);
                if (d >= 0) {
                    sb.append((char) ('0' + d));
                }
                i += Character.charCount(cp);
            }
            return sb.toString();
        }
    }

    /**
     * {@code pseudonymise}: the value's {@link Pseudonyms pseudonym} under the pseudonym key (a string,
     * or a number as written plainly); anything else is replaced by "*" with a warning.
     *
     * <p>With {@code from} (a path without {@code [*]}), the rule's {@code field} is a derived output
     * field, a top-level name: it is set to the pseudonym of the value at {@code from} in the
     * <em>original</em> record (appended when absent, replaced when present), so a linkage pseudonym
     * sits apart from the masked display value that {@code from}'s own rule writes. When {@code from}
     * is missing or null the output field is dropped (a value the submitter put there never leaves as
     * it came) with a warning.
     */
    static final class Pseudonymise implements FieldRule {
        private final byte[] key;
        private final FieldPath from;

        Pseudonymise(byte[] key, FieldPath from) {
            this.key = key;
            this.from = from;
        }

        static Pseudonymise parse(RuleSpec spec) throws PolicyException {
            FieldPath from = null;
            if (spec.has("from")) {
                String text = spec.string("from", null);
                try {
                    from = FieldPath.parse(text);
                } catch (IllegalArgumentException e) {
                    throw spec.error("'from': " + e.getMessage());
                }
                if (from.hasWildcard()) {
                    throw spec.error("'from' must name one field, without [*]");
                }
                if (spec.field.contains(".") || spec.field.contains("[")) {
                    throw spec.error("with 'from', 'field' is the output field: a top-level name without '.' or [*]");
                }
                if (from.text().equals(spec.field)) {
                    throw spec.error("'from' must differ from 'field' (leave 'from' out to pseudonymise in place)");
                }
            }
            if (!spec.keys.hasPseudonymKey()) {
                throw spec.error("needs the pseudonym key, but no masking keys were given "
                        + "(set gateway.secret-file in the configuration)");
            }
            return new Pseudonymise(spec.keys.pseudonymKey(), from);
        }

        /** The source of a derived output field, or null when the rule pseudonymises in place. */
        FieldPath from() {
            return from;
        }

        @Override
        public String type() {
            return "pseudonymise";
        }

        @Override
        public void describe(ObjectNode out) {
            if (from != null) {
                out.put("from", from.text());
            }
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            String text = Values.scalarText(value);
            if (text == null) {
                context.warn(where, "expected a string or number, found " + Values.kind(value) + "; replaced by *");
                return Values.STAR;
            }
            return TextNode.valueOf(Pseudonyms.of(key, text));
        }
    }

    /**
     * {@code date-shift}: an ISO 8601 date or date-time moved by the patient's offset, a number of days
     * in [-maxDays, -1] or [1, maxDays] taken from HMAC-SHA256(dateShiftKey, subject value). Every date of
     * one patient moves by the same offset (in every rule with the same maxDays), so intervals within a
     * patient are kept. The time of a date-time is kept as written. A partial date (year, year-month),
     * an unparseable value or a record without a subject is replaced by "*" with a warning.
     */
    static final class DateShift implements FieldRule {
        private final int maxDays;

        DateShift(int maxDays) {
            this.maxDays = maxDays;
        }

        static DateShift parse(RuleSpec spec) throws PolicyException {
            int maxDays = spec.integer("maxDays", null, 1, 36_500);
            if (!spec.keys.hasDateShiftKey()) {
                throw spec.error("needs the date-shift key, but no masking keys were given "
                        + "(set gateway.secret-file in the configuration)");
            }
            return new DateShift(maxDays);
        }

        /** The offset in days for 64 bits of the patient's HMAC: uniform over [-max, -1] and [1, max]. */
        static int offsetDays(long bits, int maxDays) {
            long r = Long.remainderUnsigned(bits, 2L * maxDays);
            return r < maxDays ? (int) (r - maxDays) : (int) (r - maxDays + 1);
        }

        @Override
        public String type() {
            return "date-shift";
        }

        @Override
        public void describe(ObjectNode out) {
            out.put("maxDays", maxDays);
        }

        @Override
        public JsonNode apply(JsonNode value, MaskContext context, String where) {
            IsoDate date = IsoDate.parseOrWarn(value, context, where);
            if (date == null) {
                return Values.STAR;
            }
            if (!date.hasDay()) {
                context.warn(where, "a partial date cannot be shifted; replaced by *");
                return Values.STAR;
            }
            Long bits = context.dateShiftBits();
            if (bits == null) {
                context.warn(where, "the subject field '" + context.subjectPath()
                        + "' is missing or not a string or number, so the date cannot be shifted; replaced by *");
                return Values.STAR;
            }
            LocalDate shifted = date.date().plusDays(offsetDays(bits, maxDays));
            if (shifted.getYear() < 1 || shifted.getYear() > 9999) {
                context.warn(where, "the shifted date is outside years 1-9999; replaced by *");
                return Values.STAR;
            }
            return TextNode.valueOf(IsoDate.year(shifted.getYear()) + "-" + IsoDate.twoDigits(shifted.getMonthValue())
                    + "-" + IsoDate.twoDigits(shifted.getDayOfMonth()) + date.rest());
        }
    }
}
