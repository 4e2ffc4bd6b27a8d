/**
 * The little of Bitcoin the offline verifier needs, in plain Java: double SHA-256, a strict parser of
 * legacy-serialised transactions (no witness data), the 80-byte block header with its compact target,
 * the double-SHA Merkle tree and branches, the networks' proof-of-work limits, a writer for building
 * transactions, headers and blocks (tests, tools), BIP 37 merkle blocks ({@code gettxoutproof}), and a
 * bitcoind JSON-RPC client with typed calls for the anchor broadcaster.
 *
 * <p>The anchor stage's signing: {@link org.emrsb.core.bitcoin.AnchorKey} (secp256k1, WIF, P2PKH
 * addresses) and its key file {@link org.emrsb.core.bitcoin.AnchorKeyFile}, the legacy signature hash
 * {@link org.emrsb.core.bitcoin.LegacySighash}, and {@link org.emrsb.core.bitcoin.AnchorTransactions},
 * which builds and signs the OP_RETURN transaction deterministically (RFC 6979, low S, strict DER).
 *
 * <p>Conventions: every hash is held in Bitcoin's internal byte order (the order the double SHA-256
 * produces), never the reversed display order that RPC and block explorers print; integers in the
 * serialisations are little-endian. Byte arrays passed in are copied where kept, and returned arrays
 * are fresh copies. Malformed bytes raise {@link org.emrsb.core.format.FormatException}.
 */
package org.emrsb.core.bitcoin;
