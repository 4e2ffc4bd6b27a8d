/**
 * Proof bundles and their offline verification, in plain Java (no Kafka types). A
 * {@link org.emrsb.core.proof.ProofBundle} carries everything needed to check, without any EMRSB
 * server, that one ledger transaction was sealed in a delegate-signed, monitor-accepted block, that
 * the block was covered by an anchor, and that the anchor's hash was written into a mined Bitcoin
 * block; {@link org.emrsb.core.proof.BundleVerifier} checks every link and reports each step.
 * The JSON form and every step are specified in docs/ledger-format.md, section "Proof bundle".
 */
package org.emrsb.core.proof;
