package org.emrsb.core.monitor;

import java.util.Optional;
import org.emrsb.core.governance.GovernanceEpoch;

/**
 * The governance epochs a monitor knows, by number (backed by the epochs global store in a stage; a
 * map in tests). An epoch, once written, never changes, so "ACTIVE at epoch n" is a fixed fact; an
 * epoch not known yet may still arrive (the epochs topic can lag the ledger), which is why its absence
 * makes a check wait rather than fail.
 */
@FunctionalInterface
public interface EpochLookup {

    /** The epoch numbered {@code number}, if this monitor has it. */
    Optional<GovernanceEpoch> epoch(long number);
}
