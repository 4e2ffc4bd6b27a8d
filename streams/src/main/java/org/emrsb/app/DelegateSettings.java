package org.emrsb.app;

import java.time.Duration;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.ledger.Quorum;

/** The delegate's key and block settings, read and checked at start-up with errors that name the setting. */
record DelegateSettings(MemberKeys keys, Duration blockInterval, int blockMaxTransactions, Quorum quorum,
        int drillTamperEvery) {

    static DelegateSettings load(EmrsbConfig config) {
        MemberKeys keys = GatewaySettings.readKeys(GatewaySettings.requiredPath(config, "delegate.key-file"),
                "delegate.key-file");
        if (keys.role() != Role.DELEGATE) {
            throw new EmrsbConfig.ConfigException("delegate.key-file holds a " + keys.role() + " key, not a delegate key");
        }
        Duration interval = config.duration("ledger.block.interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new EmrsbConfig.ConfigException("ledger.block.interval must be positive, was " + interval);
        }
        Quorum quorum;
        try {
            quorum = Quorum.parse(config.string("ledger.quorum"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("ledger.quorum: " + e.getMessage());
        }
        int tamper = config.integer("delegate.drill.tamper-every", 0, Integer.MAX_VALUE);
        if (tamper > 0) {
            org.slf4j.LoggerFactory.getLogger(DelegateSettings.class).warn("DRILL: this delegate is byzantine: every {}"
                    + " transaction it signs carries a corrupted gateway signature (delegate.drill.tamper-every)", tamper);
        }
        return new DelegateSettings(keys, interval, config.integer("ledger.block.max-transactions", 1, 1_000_000), quorum,
                tamper);
    }
}
