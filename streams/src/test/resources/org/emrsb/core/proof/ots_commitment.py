"""Reads .ots files with the OpenTimestamps library (Debian's python3-opentimestamps) and prints, per file,
one line: PATH, the file hash operation, the file digest, the commitment its Bitcoin block header
attestation is on (the message the library computed by evaluating the operations from the digest while
deserialising) and the height; or PATH ERROR and the reason. An argument PATH=HEADERHEX also checks the
attestation against that 80-byte Bitcoin block header as `ots verify` does once its node has answered
(BitcoinBlockHeaderAttestation.verify_against_blockheader), and appends the block time it returns.
Used by OtsRoundTripTest; run with /usr/bin/python3."""
import sys

try:
    from opentimestamps.core.notary import BitcoinBlockHeaderAttestation
    from opentimestamps.core.serialize import BytesDeserializationContext
    from opentimestamps.core.timestamp import DetachedTimestampFile
except ImportError as e:
    print("NO-LIBRARY %s" % e)
    sys.exit(3)

for arg in sys.argv[1:]:
    path, _, header_hex = arg.partition("=")
    try:
        with open(path, "rb") as f:
            detached = DetachedTimestampFile.deserialize(BytesDeserializationContext(f.read()))
        found = list(detached.timestamp.all_attestations())
        if len(found) != 1 or not isinstance(found[0][1], BitcoinBlockHeaderAttestation):
            raise ValueError("expected exactly one Bitcoin attestation, found %r" % (found,))
        msg, attestation = found[0]
        line = "%s %s %s %s %d" % (path, detached.file_hash_op.TAG_NAME, detached.file_digest.hex(), msg.hex(),
                                   attestation.height)
        if header_hex:
            from bitcoin.core import CBlockHeader  # python3-bitcoinlib, a dependency of the library's package
            header = CBlockHeader.deserialize(bytes.fromhex(header_hex))
            line += " %d" % attestation.verify_against_blockheader(msg, header)
        print(line)
    except Exception as e:  # report every failure on its line; the Java test judges
        print("%s ERROR %s: %s" % (path, type(e).__name__, str(e).replace("\n", " ")))
