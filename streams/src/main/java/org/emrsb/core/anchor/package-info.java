/**
 * Anchoring (paper §4.2, step 7), as plain Java: the anchor stage's state ({@link AnchorState}), the
 * aligned anchor windows and the anchor header over the covered blocks ({@link AnchorWindow}).
 * The Kafka wiring is in {@code org.emrsb.stream.AnchorTopology}; the Bitcoin transaction itself is
 * built and signed by {@code org.emrsb.core.bitcoin}.
 */
package org.emrsb.core.anchor;
