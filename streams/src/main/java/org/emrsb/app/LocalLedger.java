package org.emrsb.app;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.stream.LedgerQueries;
import org.emrsb.stream.Stores;

/** The ledger stores of the chains a running delegate instance holds, as {@link LedgerQueries}. */
final class LocalLedger {

    private LocalLedger() {
    }

    /**
     * Queries over every chain this instance holds (active tasks only).
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the instance is not
     *         RUNNING (starting or rebalancing); ask again shortly
     */
    static LedgerQueries of(KafkaStreams streams) {
        return new LedgerQueries(new LedgerQueries.Views(store(streams, Stores.LEDGER_TRANSACTIONS),
                store(streams, Stores.LEDGER_SEQUENCES), store(streams, Stores.LEDGER_PATIENTS),
                store(streams, Stores.LEDGER_BLOCKS), store(streams, Stores.LEDGER_BLOCK_ENDS),
                store(streams, Stores.LEDGER_VERDICTS)));
    }

    private static ReadOnlyKeyValueStore<String, byte[]> store(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
