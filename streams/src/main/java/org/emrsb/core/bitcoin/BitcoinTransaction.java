package org.emrsb.core.bitcoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.emrsb.core.format.FormatException;

/**
 * A Bitcoin transaction in the legacy serialisation (no witness data): version, inputs, outputs,
 * lock time. Its txid is {@link DoubleSha256} of exactly these bytes, so for a segwit transaction
 * these are the bytes without marker, flag and witnesses, which is what the txid commits to.
 *
 * <p>{@link #parse} is strict: canonical varints, at least one input and one output, amounts within
 * 0..21 million BTC, no trailing bytes, and a segwit marker (an input count of 0 followed by flag 1)
 * is refused with its own message, since witness data has no place here.
 */
public record BitcoinTransaction(int version, List<Input> inputs, List<Output> outputs, long lockTime) {

    /** 21 million BTC in satoshi: Bitcoin's MAX_MONEY. */
    public static final long MAX_MONEY = 21_000_000L * 100_000_000L;
    /** OP_RETURN. */
    public static final int OP_RETURN = 0x6a;

    /** An input: the output it spends, its script and sequence. */
    public record Input(byte[] previousTxid, long previousIndex, byte[] scriptSig, long sequence) {
        public Input {
            if (previousTxid == null || previousTxid.length != 32) {
                throw new IllegalArgumentException("an input's previous txid is 32 bytes");
            }
            checkU32(previousIndex, "previous output index");
            checkU32(sequence, "sequence");
            previousTxid = previousTxid.clone();
            scriptSig = Objects.requireNonNull(scriptSig, "scriptSig").clone();
        }

        /** A coinbase-style input: null outpoint (32 zero bytes, index 0xffffffff), final sequence. */
        public static Input coinbase(byte[] scriptSig) {
            return new Input(new byte[32], 0xffff_ffffL, scriptSig, 0xffff_ffffL);
        }

        @Override
        public byte[] previousTxid() {
            return previousTxid.clone();
        }

        @Override
        public byte[] scriptSig() {
            return scriptSig.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Input i && Arrays.equals(previousTxid, i.previousTxid)
                    && previousIndex == i.previousIndex && Arrays.equals(scriptSig, i.scriptSig)
                    && sequence == i.sequence;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(previousTxid), previousIndex, Arrays.hashCode(scriptSig), sequence);
        }
    }

    /** An output: an amount in satoshi and a locking script. */
    public record Output(long value, byte[] script) {
        public Output {
            if (value < 0 || value > MAX_MONEY) {
                throw new IllegalArgumentException("an output's value is 0.." + MAX_MONEY + " satoshi, was " + value);
            }
            script = Objects.requireNonNull(script, "script").clone();
        }

        /** A zero-value output whose script is {@code OP_RETURN <32-byte push of data>}. */
        public static Output opReturn(byte[] data32) {
            return new Output(0, opReturnScript(data32));
        }

        @Override
        public byte[] script() {
            return script.clone();
        }

        /** Whether the script is exactly {@code 0x6a 0x20 <data>}: OP_RETURN, then a 32-byte push of {@code data}. */
        public boolean isOpReturnOf(byte[] data) {
            return data != null && data.length == 32 && Arrays.equals(script, opReturnScript(data));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Output out && value == out.value && Arrays.equals(script, out.script);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(value) + Arrays.hashCode(script);
        }
    }

    public BitcoinTransaction {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("a transaction has at least one input and one output");
        }
        checkU32(lockTime, "lock time");
    }

    /** The script {@code OP_RETURN 0x20 <32 bytes>}. */
    public static byte[] opReturnScript(byte[] data32) {
        if (data32 == null || data32.length != 32) {
            throw new IllegalArgumentException("the OP_RETURN payload here is 32 bytes");
        }
        byte[] script = new byte[34];
        script[0] = (byte) OP_RETURN;
        script[1] = 0x20;
        System.arraycopy(data32, 0, script, 2, 32);
        return script;
    }

    /** The legacy serialisation. */
    public byte[] toBytes() {
        BitcoinWriter w = new BitcoinWriter().i32(version).varint(inputs.size());
        for (Input in : inputs) {
            w.bytes(in.previousTxid).u32(in.previousIndex).varBytes(in.scriptSig).u32(in.sequence);
        }
        w.varint(outputs.size());
        for (Output out : outputs) {
            w.i64(out.value).varBytes(out.script);
        }
        return w.u32(lockTime).toByteArray();
    }

    /** The txid, internal byte order: {@code SHA-256(SHA-256(toBytes()))}. */
    public byte[] txid() {
        return DoubleSha256.hash(toBytes());
    }

    /** The txid in display order, as bitcoind's RPC and block explorers print it. */
    public String displayTxid() {
        return org.emrsb.core.crypto.Hex.encode(DoubleSha256.reverse(txid()));
    }

    /** Whether some output's script is exactly {@code OP_RETURN 0x20 <data>}. */
    public boolean hasOpReturnOf(byte[] data) {
        return outputs.stream().anyMatch(o -> o.isOpReturnOf(data));
    }

    /**
     * Parses the legacy serialisation strictly.
     *
     * @throws FormatException if the bytes are not exactly one transaction without witness data
     */
    public static BitcoinTransaction parse(byte[] bytes) {
        BitcoinReader r = new BitcoinReader(bytes, "bitcoin transaction");
        int version = r.i32("version");
        if (r.peek("input count") == 0) {
            if (r.remaining() > 1 && (bytes[r.offset() + 1] & 0xff) == 0x01) {
                throw r.invalid("segwit marker and flag at offset " + r.offset()
                        + ": give the serialisation without witness data");
            }
            throw r.invalid("no inputs");
        }
        int inputCount = r.count("inputs", 32 + 4 + 1 + 4);
        List<Input> inputs = new ArrayList<>(inputCount);
        for (int i = 0; i < inputCount; i++) {
            inputs.add(new Input(r.fixed(32, "input " + i + " previous txid"), r.u32("input " + i + " previous index"),
                    r.varBytes("input " + i + " scriptSig"), r.u32("input " + i + " sequence")));
        }
        int outputCount = r.count("outputs", 8 + 1);
        if (outputCount == 0) {
            throw r.invalid("no outputs");
        }
        List<Output> outputs = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++) {
            long value = r.i64("output " + i + " value");
            if (value < 0 || value > MAX_MONEY) {
                throw r.invalid("output " + i + " value " + value + " is outside 0.." + MAX_MONEY);
            }
            outputs.add(new Output(value, r.varBytes("output " + i + " script")));
        }
        long lockTime = r.u32("lock time");
        r.finish();
        return new BitcoinTransaction(version, inputs, outputs, lockTime);
    }

    static void checkU32(long value, String what) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " is a u32, was " + value);
        }
    }
}
