/**
 * The monitoring authority's checks, as plain Java (paper §4.3 step 5; docs/monitoring.md): every
 * delegate-signed transaction and block is re-verified by named checks in a fixed order
 * ({@link org.emrsb.core.monitor.TransactionChecks}, {@link org.emrsb.core.monitor.BlockChecks}) against
 * the chain's compact state ({@link org.emrsb.core.monitor.ChainWatch}); the outcome becomes a signed
 * verdict ({@link org.emrsb.core.monitor.Verdicts}) and, when the delegate's own signature proves the
 * fault, signed evidence ({@link org.emrsb.core.monitor.SignedViolation}) that anyone can re-check
 * ({@link org.emrsb.core.monitor.EvidenceVerifier}). No Kafka types.
 */
package org.emrsb.core.monitor;
