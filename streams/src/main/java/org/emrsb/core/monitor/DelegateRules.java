package org.emrsb.core.monitor;

import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;

/** The two delegate checks that transactions and blocks share. Empty means the check passed. */
final class DelegateRules {

    private DelegateRules() {
    }

    /** {@code delegate-signature}: {@code signature} verifies over {@code bytes} with {@code delegateKey}. */
    static Optional<CheckOutcome> signature(VerifyingKeyCache keys, byte[] bytes, byte[] signature, byte[] delegateKey) {
        VerifyingKey key;
        try {
            key = keys.get(delegateKey);
        } catch (IllegalArgumentException e) {
            return Optional.of(CheckOutcome.reject(CheckNames.DELEGATE_SIGNATURE,
                    "the delegate key is not a valid Ed25519 public key"));
        }
        if (!Signatures.verify(key, bytes, signature)) {
            return Optional.of(CheckOutcome.reject(CheckNames.DELEGATE_SIGNATURE,
                    "the delegate's signature does not verify with " + key));
        }
        return Optional.empty();
    }

    /**
     * {@code delegate-active}: {@code delegateKey} is ACTIVE at {@code epoch}. An epoch the lookup does
     * not have yet waits; epoch 0 (epochs are numbered from 1) fails.
     */
    static Optional<CheckOutcome> active(EpochLookup epochs, long epoch, byte[] delegateKey) {
        if (epoch < 1) {
            return Optional.of(CheckOutcome.reject(CheckNames.DELEGATE_ACTIVE, "epoch " + epoch
                    + " does not exist: epochs are numbered from 1"));
        }
        Optional<GovernanceEpoch> known = epochs.epoch(epoch);
        if (known.isEmpty()) {
            return Optional.of(CheckOutcome.waitFor(CheckNames.DELEGATE_ACTIVE, "epoch " + epoch + " is not known yet"));
        }
        Optional<DelegateStatus> status = known.get().status(delegateKey);
        if (status.orElse(null) != DelegateStatus.ACTIVE) {
            return Optional.of(CheckOutcome.reject(CheckNames.DELEGATE_ACTIVE, "delegate " + VerifyingKey.PREFIX
                    + Hex.encode(delegateKey) + " is " + status.map(Enum::name).orElse("not a delegate")
                    + " at epoch " + epoch));
        }
        return Optional.empty();
    }
}
