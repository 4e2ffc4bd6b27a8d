package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.CanonicalJsonException;
import org.emrsb.core.format.MaskedRecord;

/**
 * What a gateway-signed masked record must not contain, judged from the record alone: the monitors'
 * {@code masked-content} check (docs/monitoring.md). A finding is grounds to reject the record and,
 * once signed by a delegate, evidence against it, so every rule here is built to have no false
 * positives on anything a correct gateway writes; it detects less rather than guess. It finds:
 * <ol>
 * <li>a resident ID in the clear anywhere in the masked body: a run of exactly 17 ASCII digits followed
 *     by a digit or X (so 18 characters with no ASCII digit on either side) that passes
 *     {@link ResidentIds#validate} (province, birth date and the ISO 7064 check digit);</li>
 * <li>under the built-in paper profile (the record's policyHash is {@link MaskingPolicy#paper()}'s) and
 *     a JSON-object body, a top-level field the profile always masks left unmasked: {@code idNumber}
 *     without the profile's "*****", {@code phone} or {@code mobile} without its "****" (the profile
 *     writes those masks into every value it is given, so a value without them, or a number, was
 *     not masked), and a {@code name} string without any '*' that the profile's name rule would
 *     still change (a name of several units; one unit is a family name alone, which the profile
 *     publishes);</li>
 * <li>an attachment the parties cannot decrypt: one with no wrapped key;</li>
 * <li>under a built-in profile with FHIR rules (hipaa-safe-harbor, gbt-37964) and a FHIR R4 body, an element one of the
 *     profile's fhir rules selects that the rule could not have written (a HumanName, ContactPoint,
 *     Identifier, address line or instant anywhere; a date with more than its year; a postal code that is
 *     not a ZIP3), a Patient id or a reference to a Patient that is not a 64-hex pseudonym, or a
 *     transaction entry's conditional query ({@link FhirMasking}'s check).</li>
 * </ol>
 * It does not find: 15-digit first-generation IDs (no check digit, so too many numbers look like
 * one), an 18-character ID inside a longer run of digits or written with non-ASCII digits, IDs with
 * an invalid check digit outside the paper profile's idNumber field, names outside the paper profile
 * or at other paths, addresses, and ciphertext that is really plaintext (the monitor does not fetch
 * attachments). Messages never repeat the identifier.
 */
public final class MaskedContent {

    private static final byte[] PAPER_POLICY_HASH = MaskingPolicy.paper().hash();
    private static final String ID_NUMBER_MASK = "*****";
    private static final String PHONE_MASK = "****";
    private static final int RESIDENT_ID_LENGTH = 18;

    private MaskedContent() {
    }

    /** The first leak found in {@code record}, described without the identifier; empty if none. */
    public static Optional<String> leak(MaskedRecord record) {
        return residentId(record.maskedBody())
                .or(() -> paperProfileFields(record))
                .or(() -> fhirProfileElements(record))
                .or(() -> undecryptableAttachment(record.attachments()));
    }

    /** Rule 1: a valid 18-character resident ID as a whole run of ASCII digits in {@code body}. */
    static Optional<String> residentId(byte[] body) {
        int i = 0;
        while (i < body.length) {
            if (!isDigit(body[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < body.length && isDigit(body[i])) {
                i++;
            }
            int run = i - start;
            boolean checkDigitX = run == RESIDENT_ID_LENGTH - 1 && i < body.length && (body[i] == 'X' || body[i] == 'x');
            if ((run == RESIDENT_ID_LENGTH || checkDigitX)
                    && ResidentIds.validate(new String(body, start, RESIDENT_ID_LENGTH, StandardCharsets.US_ASCII)).valid()) {
                return Optional.of("a valid 18-character resident ID in the clear at body offset " + start);
            }
        }
        return Optional.empty();
    }

    /** Rule 2: the paper profile's always-masked top-level fields, for records that claim the profile. */
    static Optional<String> paperProfileFields(MaskedRecord record) {
        if (!Arrays.equals(record.policyHash(), PAPER_POLICY_HASH)) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = CanonicalJson.parse(record.maskedBody());
        } catch (CanonicalJsonException e) {
            return Optional.empty(); // not JSON: rule 1 has scanned the bytes; nothing sound to add
        }
        if (!body.isObject()) {
            return Optional.empty();
        }
        return unmasked(body.get("idNumber"), ID_NUMBER_MASK, "idNumber")
                .or(() -> unmasked(body.get("phone"), PHONE_MASK, "phone"))
                .or(() -> unmasked(body.get("mobile"), PHONE_MASK, "mobile"))
                .or(() -> unmaskedName(body.get("name")));
    }

    /**
     * Rule 4: a FHIR R4 body under a built-in profile with a fhir section ({@link MaskingPolicy#WITH_FHIR}):
     * an element one of its rules selects that the rule could not have written (an element it removes, a
     * full date where it keeps the year, a postal code that is no ZIP3), a Patient id or a reference to a
     * Patient that is not a pseudonym, or a conditional query left in a transaction entry.
     */
    static Optional<String> fhirProfileElements(MaskedRecord record) {
        if (record.format() != BodyFormat.FHIR_R4) {
            return Optional.empty();
        }
        MaskingPolicy profile = null;
        for (MaskingPolicy p : FhirProfiles.POLICIES) {
            if (Arrays.equals(record.policyHash(), p.hash())) {
                profile = p;
            }
        }
        if (profile == null) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = CanonicalJson.parse(record.maskedBody());
        } catch (CanonicalJsonException e) {
            return Optional.empty();
        }
        if (!(body instanceof ObjectNode object)) {
            return Optional.empty();
        }
        String name = profileName(profile);
        return profile.fhirLeak(object).map(leak -> "FHIR element " + leak + " under profile " + name);
    }

    private static String profileName(MaskingPolicy p) {
        return p.id() + " " + p.version();
    }

    /**
     * The built-in profiles with FHIR rules, loaded once. Checking uses no key, but a profile with keyed
     * rules only loads with keys: throwaway ones, which the policy hash does not depend on.
     */
    private static final class FhirProfiles {
        static final List<MaskingPolicy> POLICIES = load();

        private static List<MaskingPolicy> load() {
            java.util.ArrayList<MaskingPolicy> out = new java.util.ArrayList<>();
            for (String name : MaskingPolicy.WITH_FHIR) {
                try {
                    out.add(MaskingPolicy.named(name, MaskingKeys.derive(new byte[MaskingKeys.KEY_LENGTH])));
                } catch (PolicyException e) {
                    throw new IllegalStateException("the built-in profile " + name + " does not load: " + e.getMessage(), e);
                }
            }
            return List.copyOf(out);
        }
    }

    private static Optional<String> unmasked(JsonNode value, String mask, String field) {
        if (value == null || !(value.isTextual() || value.isNumber())) {
            return Optional.empty();
        }
        if (value.isNumber() || !value.textValue().contains(mask)) {
            return Optional.of(field + " is not masked: the paper profile writes \"" + mask + "\" into every value");
        }
        return Optional.empty();
    }

    private static Optional<String> unmaskedName(JsonNode value) {
        if (value == null || !value.isTextual() || value.textValue().indexOf('*') >= 0) {
            return Optional.empty();
        }
        ObjectNode probe = JsonNodeFactory.instance.objectNode().set("name", value);
        JsonNode remasked = MaskingPolicy.paper().mask(probe).masked().get("name");
        if (remasked.equals(value)) {
            return Optional.empty(); // one unit: the profile publishes a family name alone
        }
        return Optional.of("name is a full name the paper profile masks");
    }

    /** Rule 3: every attachment has its content key wrapped for at least one party. */
    static Optional<String> undecryptableAttachment(List<MaskedRecord.EncryptedAttachmentRef> attachments) {
        for (int i = 0; i < attachments.size(); i++) {
            if (attachments.get(i).wrappedKeys().isEmpty()) {
                return Optional.of("attachment " + i + " has no wrapped key: it is not encrypted for the parties");
            }
        }
        return Optional.empty();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
