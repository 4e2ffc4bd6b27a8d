package org.emrsb.core.masking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.emrsb.core.crypto.SecretFile;
import org.emrsb.core.crypto.Hkdf;

/**
 * The keys of the keyed masking rules: the HMAC-SHA256 key of pseudonyms and the key that derives
 * each patient's date shift. Both come from the gateway's configuration ({@code gateway.secret-file}),
 * never from a topic. Either may be absent ({@link #none()}): a policy with a rule that needs it then
 * fails to load. Arrays are copied in and out; {@link #toString()} never shows them.
 */
public record MaskingKeys(byte[] pseudonymKey, byte[] dateShiftKey) {

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;

    static final byte[] PSEUDONYM_INFO = "emrsb/masking/pseudonym-key/v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DATE_SHIFT_INFO = "emrsb/masking/date-shift-key/v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * @throws IllegalArgumentException if a key is present but not 32 bytes
     */
    public MaskingKeys {
        pseudonymKey = checked(pseudonymKey, "pseudonym key");
        dateShiftKey = checked(dateShiftKey, "date-shift key");
    }

    /** No keys: for policies without keyed rules, such as the paper profile. */
    public static MaskingKeys none() {
        return new MaskingKeys(null, null);
    }

    /**
     * Both keys from one 32-byte secret: HKDF-SHA256 with an empty salt and the info strings
     * {@code emrsb/masking/pseudonym-key/v1} and {@code emrsb/masking/date-shift-key/v1}.
     *
     * @throws IllegalArgumentException unless {@code secret32} is 32 bytes
     */
    public static MaskingKeys derive(byte[] secret32) {
        if (secret32 == null || secret32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("the masking secret must be " + KEY_LENGTH + " bytes");
        }
        return new MaskingKeys(Hkdf.sha256(secret32, new byte[0], PSEUDONYM_INFO, KEY_LENGTH),
                Hkdf.sha256(secret32, new byte[0], DATE_SHIFT_INFO, KEY_LENGTH));
    }

    /**
     * {@link #derive} over a secret file: 64 lowercase hex characters (32 bytes), optionally followed
     * by a line break.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it does not hold exactly 64 lowercase hex characters
     */
    public static MaskingKeys fromSecretFile(Path file) throws IOException {
        byte[] secret = SecretFile.read(file, "masking secret");
        try {
            return derive(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    public boolean hasPseudonymKey() {
        return pseudonymKey != null;
    }

    public boolean hasDateShiftKey() {
        return dateShiftKey != null;
    }

    /** A copy of the pseudonym key, or null if absent. */
    @Override
    public byte[] pseudonymKey() {
        return pseudonymKey == null ? null : pseudonymKey.clone();
    }

    /** A copy of the date-shift key, or null if absent. */
    @Override
    public byte[] dateShiftKey() {
        return dateShiftKey == null ? null : dateShiftKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskingKeys other && Arrays.equals(pseudonymKey, other.pseudonymKey)
                && Arrays.equals(dateShiftKey, other.dateShiftKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pseudonymKey) + Arrays.hashCode(dateShiftKey);
    }

    @Override
    public String toString() {
        return "MaskingKeys[pseudonymKey=" + (pseudonymKey == null ? "absent" : "present")
                + ", dateShiftKey=" + (dateShiftKey == null ? "absent" : "present") + "]";
    }

    private static byte[] checked(byte[] key, String what) {
        if (key == null) {
            return null;
        }
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("the " + what + " must be " + KEY_LENGTH + " bytes, got " + key.length);
        }
        return key.clone();
    }
}
