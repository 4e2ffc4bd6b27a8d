package org.emrsb.regtest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bitcoinj.base.Coin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the regtest node until SIGTERM. Options use bitcoind's names ({@code -name=value}; also
 * {@code --name=value}); each falls back to an environment variable, then a default:
 *
 * <pre>
 *   -datadir=DIR          EMRSB_BITCOIN_DATADIR      .emrsb/bitcoin   chain (blocks.hex) and wallet (wallet.dat)
 *   -rpcbind=HOST         EMRSB_BITCOIN_BIND         127.0.0.1
 *   -rpcport=PORT         EMRSB_BITCOIN_PORT         18443            bitcoind's regtest RPC port
 *   -rpcuser=USER         EMRSB_BITCOIN_RPCUSER      emrsb
 *   -rpcpassword=PASS     EMRSB_BITCOIN_RPCPASSWORD  emrsb
 *   -mineonsend=1|0       EMRSB_BITCOIN_MINE_ON_SEND 1                mine a block when sendrawtransaction admits one
 *   -fallbackfee=BTC/kvB  EMRSB_BITCOIN_FEE          0.00002          estimatesmartfee's answer, fundrawtransaction's default
 * </pre>
 */
public final class RegtestNodeMain {

    private static final Logger LOG = LoggerFactory.getLogger(RegtestNodeMain.class);

    private RegtestNodeMain() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            String s = a.replaceFirst("^--?", "");
            int eq = s.indexOf('=');
            if (s.equals("help") || s.equals("h")) {
                System.out.println("usage: RegtestNodeMain [-datadir=DIR] [-rpcbind=HOST] [-rpcport=PORT] [-rpcuser=USER]"
                        + " [-rpcpassword=PASS] [-mineonsend=1|0] [-fallbackfee=BTC/kvB]");
                return;
            }
            args.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "1" : s.substring(eq + 1));
        }
        Path dataDir = Path.of(option(args, "datadir", "EMRSB_BITCOIN_DATADIR", ".emrsb/bitcoin"));
        String bind = option(args, "rpcbind", "EMRSB_BITCOIN_BIND", "127.0.0.1");
        int port = Integer.parseInt(option(args, "rpcport", "EMRSB_BITCOIN_PORT", "18443"));
        String user = option(args, "rpcuser", "EMRSB_BITCOIN_RPCUSER", "emrsb");
        String password = option(args, "rpcpassword", "EMRSB_BITCOIN_RPCPASSWORD", "emrsb");
        boolean mineOnSend = !option(args, "mineonsend", "EMRSB_BITCOIN_MINE_ON_SEND", "1").matches("0|false|no");
        Coin fee = Coin.valueOf(new BigDecimal(option(args, "fallbackfee", "EMRSB_BITCOIN_FEE", "0.00002"))
                .movePointRight(8).longValueExact());

        long started = System.nanoTime();
        RegtestNode node;
        try {
            node = RegtestNode.open(dataDir, Clock.systemUTC());
        } catch (IOException e) {
            LOG.error("cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        RpcServer server;
        try {
            server = new RpcServer(bind, port, user, password, new RpcMethods(node, mineOnSend, fee));
        } catch (IOException e) {
            LOG.error("cannot listen on {}:{}: {}", bind, port, e.getMessage());
            node.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            node.close();
            LOG.info("stopped");
        }, "shutdown"));
        LOG.info("regtest node ready at http://{}:{} (height {}, data {}, mine-on-send {}, fee {} BTC/kvB) in {} ms",
                bind, server.port(), node.height(), dataDir.toAbsolutePath(), mineOnSend, fee.toPlainString(),
                (System.nanoTime() - started) / 1_000_000);
        Thread.currentThread().join();
    }

    private static String option(Map<String, String> args, String name, String env, String fallback) {
        String v = args.get(name);
        if (v == null) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? fallback : v;
    }
}
