package org.emrsb.core.crypto;

/** The strict {@code <prefix><64 lowercase hex>} text form of 32-byte public keys. */
final class KeyText {

    private KeyText() {
    }

    static byte[] decode(String text, String prefix, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + ": missing (null)");
        }
        if (!text.startsWith(prefix)) {
            int colon = text.indexOf(':');
            String found = colon < 0 ? "no prefix" : "prefix \"" + abbreviate(text.substring(0, colon + 1)) + "\"";
            throw new IllegalArgumentException(what + ": expected \"" + prefix + "<64 lowercase hex>\", found "
                    + found + " in \"" + abbreviate(text) + "\"");
        }
        return Hex.decode(text.substring(prefix.length()), 32, what + " \"" + abbreviate(text) + "\"");
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
