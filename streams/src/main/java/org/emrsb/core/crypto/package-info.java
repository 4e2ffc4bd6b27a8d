/**
 * The ledger's cryptographic primitives, in plain Java (no Kafka types): Ed25519 signing keys,
 * X25519 encryption keys, member key files, signatures, deterministic attachment encryption and
 * per-recipient key wrapping.
 *
 * <p>Ed25519, X25519 and HKDF come from BouncyCastle's lightweight API (several times faster than the
 * JDK's Ed25519); SHA-256 and AES-GCM come from the JDK, whose implementations use the CPU's
 * instructions. Every byte layout is specified in {@code docs/ledger-format.md} (section
 * "Cryptographic primitives") and pinned by golden vectors in the tests.
 *
 * <p>Conventions: all types are immutable and thread-safe; byte arrays passed in are copied and byte
 * arrays returned are fresh copies; keys print as {@code ed25519:<64 lowercase hex>} or
 * {@code x25519:<64 lowercase hex>} and private material never appears in {@code toString()}.
 */
package org.emrsb.core.crypto;
