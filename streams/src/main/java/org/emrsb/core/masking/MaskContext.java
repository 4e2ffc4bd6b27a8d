package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The state of masking one record: its warnings, and the subject and its date-shift bits, computed once. */
final class MaskContext {

    private final ObjectNode original;
    private final FieldPath subjectPath;
    private final byte[] dateShiftKey;
    final List<String> warnings = new ArrayList<>(2);
    String rejection;

    private boolean subjectResolved;
    private String subject;
    private boolean shiftResolved;
    private long shiftBits;

    MaskContext(ObjectNode original, FieldPath subjectPath, byte[] dateShiftKey) {
        this.original = original;
        this.subjectPath = subjectPath;
        this.dateShiftKey = dateShiftKey;
    }

    void warn(String where, String problem) {
        warnings.add(where + ": " + problem);
    }

    String subjectPath() {
        return subjectPath == null ? "patient" : subjectPath.text();
    }

    /**
     * Sets the subject directly (FHIR: the patient of the resource being masked, as text); later date
     * shifts use it.
     */
    void useSubject(String subject) {
        this.subject = subject;
        this.subjectResolved = true;
        this.shiftResolved = false;
    }

    /** The value at {@code path} (without wildcards) in the original, unmasked record, or null. */
    JsonNode original(FieldPath path) {
        return original == null ? null : path.single(original);
    }

    /** The subject field's value in the original record as text, or null when missing or not a scalar. */
    String subject() {
        if (!subjectResolved) {
            subject = subjectPath == null || original == null ? null : Values.scalarText(subjectPath.single(original));
            subjectResolved = true;
        }
        return subject;
    }

    /** 64 bits of HMAC-SHA256(dateShiftKey, subject), or null when there is no subject. */
    Long dateShiftBits() {
        if (!shiftResolved) {
            String s = subject();
            if (s != null && dateShiftKey != null) {
                byte[] mac = Pseudonyms.hmac(dateShiftKey, s.getBytes(StandardCharsets.UTF_8));
                long bits = 0;
                for (int i = 0; i < 8; i++) {
                    bits = (bits << 8) | (mac[i] & 0xff);
                }
                shiftBits = bits;
            }
            shiftResolved = true;
        }
        return subject() == null ? null : shiftBits;
    }
}
