/**
 * The k-anonymity measurement over masked records (docs/privacy-report.md), plain Java: which
 * quasi-identifiers of a masked body form its equivalence class ({@link org.emrsb.core.privacy.QuasiIdentifiers}),
 * and what a window's class sizes say ({@link org.emrsb.core.privacy.ClassTally},
 * {@link org.emrsb.core.privacy.KAnonymityReport}). A measurement over what was seen, never a guarantee.
 */
package org.emrsb.core.privacy;
