package org.emrsb.core.monitor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The domain-separation tag test behind format evidence: bytes that open with a structure's tag are
 * claimed by their signer to be that structure (docs/ledger-format.md §1), so a delegate's valid
 * signature over tagged bytes that do not parse is the delegate's fault, while its signature over
 * bytes of another kind (a vote, a block offered as a transaction) is not.
 */
final class TaggedBytes {

    private TaggedBytes() {
    }

    /** Whether {@code bytes} open with the canonical encoding of {@code tag} (u8 length, then ASCII). */
    static boolean claim(byte[] bytes, String tag) {
        byte[] ascii = tag.getBytes(StandardCharsets.US_ASCII);
        return bytes.length > ascii.length && (bytes[0] & 0xff) == ascii.length
                && Arrays.equals(bytes, 1, 1 + ascii.length, ascii, 0, ascii.length);
    }
}
