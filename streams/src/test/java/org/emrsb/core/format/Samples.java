package org.emrsb.core.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.crypto.Role;

/** Fixed instances of every canonical structure, for layout, golden and mutation tests. */
final class Samples {

    private Samples() {
    }

    /** 32 bytes: {@code start, start+1, ...}. */
    static byte[] seq(int start, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static SubmissionBody submission() {
        return new SubmissionBody("2f6c1b9e-5b7a-4c1e-9d3f-000000000001", 1_795_000_000_000L, BodyFormat.FLAT_JSON,
                "{\"name\":\"YangYang\",\"age\":60}".getBytes(StandardCharsets.UTF_8),
                List.of(new SubmissionBody.AttachmentDigest("chest.dcm", "application/dicom", 1024, seq(0xa0, 32))),
                seq(0x10, 32), seq(0x30, 32));
    }

    static MaskedRecord masked() {
        return new MaskedRecord("2f6c1b9e-5b7a-4c1e-9d3f-000000000001", 1_795_000_000_500L, BodyFormat.FLAT_JSON,
                "{\"age\":\"[60, 65]\",\"name\":\"* Yang\"}".getBytes(StandardCharsets.UTF_8),
                "paper", "1", seq(0x50, 32), seq(0x70, 32), seq(0x10, 32), seq(0x30, 32), seq(0x90, 32),
                List.of(new MaskedRecord.EncryptedAttachmentRef("application/dicom", 1024, 1040, seq(0xb0, 32),
                        seq(0xd0, 12), List.of(filled(0x11, 112), filled(0x22, 112)))));
    }

    static Transaction transaction() {
        return new Transaction(masked().toBytes(), filled(0x5a, 64),
                List.of(seq(0x01, 36)), 3, 41, 7, seq(0xc0, 32), 1_795_000_001_000L);
    }

    static BlockHeader block() {
        return new BlockHeader(3, 12, seq(0x20, 32), 1_795_000_000_000L, 1_795_000_060_000L, 5, 40, 45,
                seq(0x60, 32), 7, seq(0xc0, 32));
    }

    static AnchorHeader anchor() {
        return new AnchorHeader(4, seq(0x80, 32), 1_795_000_000_000L, 1_795_000_600_000L, 60, seq(0xe0, 32));
    }

    static Verdict verdict() {
        return new Verdict(Verdict.SubjectKind.TRANSACTION, seq(0x40, 32), 3, Verdict.Decision.REJECT,
                "gateway-signature", 7, seq(0x44, 32), 1_795_000_002_000L);
    }

    static Violation violation() {
        return new Violation(Verdict.SubjectKind.TRANSACTION, 3, "masked-content", seq(0xc0, 32),
                transaction().toBytes(), filled(0x5b, 64), seq(0x44, 32), 1_795_000_002_000L);
    }

    static EnrolmentCertificate certificate() {
        return new EnrolmentCertificate(seq(0x10, 32), seq(0x90, 32), Role.DOCTOR, "Beijing Union Hospital",
                1_790_000_000_000L, 1_830_000_000_000L, EnrolmentCertificate.Status.ACTIVE, 1_790_000_000_000L,
                seq(0xf0, 16 + 16));
    }

    static Vote vote() {
        return new Vote(seq(0x10, 32), List.of(seq(0x30, 32), seq(0x20, 32)), 1_795_000_003_000L);
    }
}
