package org.emrsb.core.gateway;

import java.util.List;
import org.emrsb.core.format.MaskedRecord;

/** What the gateway made of one submission: a signed masked record, or a rejection with its reason. */
public sealed interface GatewayOutcome {

    /**
     * @param record      the canonical masked record
     * @param signature   the gateway's signature over {@code record.toBytes()}
     * @param ciphertexts the attachments' ciphertext, in the record's order
     * @param pseudonym   the patient's keyed pseudonym (lowercase hex): the key on emr.masked
     * @param warnings    validation warnings as field and code only, never a value
     */
    record Masked(MaskedRecord record, byte[] signature, List<byte[]> ciphertexts, String pseudonym,
            List<String> warnings) implements GatewayOutcome {
    }

    /** @param reason a stable code (see {@link Reasons}); {@code detail} never echoes an identifier */
    record Rejected(String reason, String detail) implements GatewayOutcome {
    }

    /** The reason codes of gateway rejections. */
    final class Reasons {
        public static final String BAD_AVRO = "bad-avro";
        public static final String BAD_KEY = "bad-key";
        public static final String BAD_SIGNATURE = "bad-signature";
        public static final String UNKNOWN_MEMBER = "unknown-member";
        public static final String MEMBER_NOT_VALID = "member-not-valid";
        public static final String ROLE_MISMATCH = "role-mismatch";
        public static final String BAD_JSON = "bad-json";
        public static final String UNSUPPORTED_FORMAT = "unsupported-format";
        public static final String MISSING_SUBJECT = "missing-subject";
        public static final String POLICY_REJECTION = "policy-rejection";
        public static final String OVERSIZE_ATTACHMENT = "oversize-attachment";

        private Reasons() {
        }
    }
}
