package org.emrsb.core.masking;

/** Test helpers for building policies. */
final class MaskingPolicyFixtures {

    private MaskingPolicyFixtures() {
    }

    static MaskingPolicy parse(String text, MaskingKeys keys) {
        try {
            return MaskingPolicy.parse(text, keys);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
