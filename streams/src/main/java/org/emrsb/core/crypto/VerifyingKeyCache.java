package org.emrsb.core.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded public keys by their 32 bytes, least recently used evicted. Decoding and validating an
 * Ed25519 key costs about as much as verifying a signature, and a pipeline sees the same members' keys
 * again and again: decoding each once halves the cost of checking a record. Thread-safe.
 */
public final class VerifyingKeyCache {

    private final Map<String, VerifyingKey> keys;

    public VerifyingKeyCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.keys = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VerifyingKey> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The key for these bytes, decoded once.
     *
     * @throws IllegalArgumentException if they are not a valid Ed25519 public key (never cached)
     */
    public VerifyingKey get(byte[] encoded) {
        String id = Hex.encode(encoded == null ? new byte[0] : encoded);
        synchronized (keys) {
            VerifyingKey cached = keys.get(id);
            if (cached != null) {
                return cached;
            }
        }
        VerifyingKey decoded = VerifyingKey.of(encoded);
        synchronized (keys) {
            keys.put(id, decoded);
        }
        return decoded;
    }
}
