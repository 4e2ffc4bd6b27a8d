/**
 * The little of Bitcoin the offline verifier needs, in plain Java: double SHA-256, a strict parser of
 * legacy-serialised transactions (no witness data), the 80-byte block header with its compact target,
 * the double-SHA Merkle tree and branches, the networks' proof-of-work limits, a writer for building
 * transactions, headers and blocks (tests, tools), and a minimal bitcoind JSON-RPC client.
 *
 * <p>Conventions: every hash is held in Bitcoin's internal byte order (the order the double SHA-256
 * produces), never the reversed display order that RPC and block explorers print; integers in the
 * serialisations are little-endian. Byte arrays passed in are copied where kept, and returned arrays
 * are fresh copies. Malformed bytes raise {@link org.emrsb.core.format.FormatException}.
 */
package org.emrsb.core.bitcoin;
