package org.emrsb.core.bitcoin;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The legacy (pre-segwit) signature hash of Bitcoin Core's {@code SignatureHash} with
 * {@code SigVersion::BASE} ({@code src/script/interpreter.cpp}): the transaction serialised with every
 * input's script emptied except the signed input's, which carries the script code (the spent output's
 * script, OP_CODESEPARATORs removed), the 4-byte hash type appended, double SHA-256.
 *
 * <p>All hash types are implemented as Core does, because its test vectors ({@code sighash.json}) use
 * random ones: the base type is {@code hashType & 0x1f}; NONE drops the outputs and zeroes the other
 * inputs' sequences, SINGLE keeps only the outputs up to the input's index (earlier ones as
 * {@code -1}/empty) and zeroes the other sequences, and any other value signs like ALL;
 * ANYONECANPAY ({@code 0x80}) keeps only the signed input. SINGLE with no matching output gives the
 * historical hash {@code 1}. The anchor transactions use only {@link #SIGHASH_ALL}.
 */
public final class LegacySighash {

    public static final int SIGHASH_ALL = 0x01;
    public static final int SIGHASH_NONE = 0x02;
    public static final int SIGHASH_SINGLE = 0x03;
    public static final int SIGHASH_ANYONECANPAY = 0x80;

    private static final int OP_CODESEPARATOR = 0xab;
    private static final int OP_PUSHDATA1 = 0x4c;
    private static final int OP_PUSHDATA2 = 0x4d;
    private static final int OP_PUSHDATA4 = 0x4e;

    private LegacySighash() {
    }

    /**
     * The 32-byte hash (internal order, as the signature signs it) for input {@code inputIndex} of
     * {@code tx}, spending an output locked by {@code scriptCode}.
     *
     * @throws IllegalArgumentException if {@code inputIndex} is not an input of {@code tx}
     */
    public static byte[] hash(BitcoinTransaction tx, int inputIndex, byte[] scriptCode, int hashType) {
        List<BitcoinTransaction.Input> inputs = tx.inputs();
        if (inputIndex < 0 || inputIndex >= inputs.size()) {
            throw new IllegalArgumentException("input " + inputIndex + " of a transaction with " + inputs.size() + " inputs");
        }
        int base = hashType & 0x1f;
        boolean anyoneCanPay = (hashType & SIGHASH_ANYONECANPAY) != 0;
        boolean none = base == SIGHASH_NONE;
        boolean single = base == SIGHASH_SINGLE;
        if (single && inputIndex >= tx.outputs().size()) {
            byte[] one = new byte[32];
            one[0] = 1;
            return one;
        }
        byte[] code = withoutCodeSeparators(scriptCode);
        BitcoinWriter w = new BitcoinWriter().i32(tx.version());
        w.varint(anyoneCanPay ? 1 : inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            if (anyoneCanPay && i != inputIndex) {
                continue;
            }
            BitcoinTransaction.Input in = inputs.get(i);
            w.bytes(in.previousTxid()).u32(in.previousIndex());
            w.varBytes(i == inputIndex ? code : new byte[0]);
            w.u32(i != inputIndex && (none || single) ? 0 : in.sequence());
        }
        int outputCount = none ? 0 : single ? inputIndex + 1 : tx.outputs().size();
        w.varint(outputCount);
        for (int o = 0; o < outputCount; o++) {
            if (single && o != inputIndex) {
                w.i64(-1L).varBytes(new byte[0]);
            } else {
                BitcoinTransaction.Output out = tx.outputs().get(o);
                w.i64(out.value()).varBytes(out.script());
            }
        }
        w.u32(tx.lockTime()).i32(hashType);
        return DoubleSha256.hash(w.toByteArray());
    }

    /**
     * {@code script} with every OP_CODESEPARATOR removed, walking the opcodes as Core's
     * {@code GetScriptOp} does so that a 0xab inside pushed data stays; a truncated push at the end is
     * kept as it is.
     */
    static byte[] withoutCodeSeparators(byte[] script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(script.length);
        int i = 0;
        while (i < script.length) {
            int op = script[i] & 0xff;
            int start = i;
            i++;
            long pushLength = 0;
            if (op < OP_PUSHDATA1) {
                pushLength = op;
            } else if (op == OP_PUSHDATA1 || op == OP_PUSHDATA2 || op == OP_PUSHDATA4) {
                int size = op == OP_PUSHDATA1 ? 1 : op == OP_PUSHDATA2 ? 2 : 4;
                if (i + size > script.length) {
                    out.write(script, start, script.length - start);
                    break;
                }
                for (int b = 0; b < size; b++) {
                    pushLength |= (long) (script[i + b] & 0xff) << (8 * b);
                }
                i += size;
            }
            if (i + pushLength > script.length) {
                out.write(script, start, script.length - start);
                break;
            }
            i += (int) pushLength;
            if (op != OP_CODESEPARATOR) {
                out.write(script, start, i - start);
            }
        }
        return out.toByteArray();
    }
}
