package org.emrsb.core.format;

/** How a record body is written. Codes are part of the canonical layouts. */
public enum BodyFormat {
    /** The paper's flat JSON record (name, age, idNumber, address, disease, ...). */
    FLAT_JSON(1),
    /** A FHIR R4 resource or Bundle, JSON. */
    FHIR_R4(2),
    /** An HL7 v2 message (ER7). */
    HL7V2(3);

    final int code;

    BodyFormat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BodyFormat of(int code) {
        for (BodyFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new FormatException("unknown body format code " + code);
    }
}
