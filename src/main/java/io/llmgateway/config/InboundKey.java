package io.llmgateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code GATEWAY_API_KEYS}: {@code [name=]key} or {@code [name=]sha256:<hex>}. Only the SHA-256
 * is kept, so a plain key does not linger in memory and the configuration can hold hashes instead of keys.
 */
public record InboundKey(String name, byte[] sha256) {

    static List<InboundKey> parseList(String text) {
        List<InboundKey> keys = new ArrayList<>();
        for (String entry : Parsers.list(text)) {
            int eq = entry.indexOf('=');
            String name = eq > 0 ? entry.substring(0, eq).strip() : null;
            String secret = eq > 0 ? entry.substring(eq + 1).strip() : entry;
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("an entry has a name but no key");
            }
            byte[] hash = secret.regionMatches(true, 0, "sha256:", 0, 7) ? hex(secret.substring(7)) : sha256(secret);
            keys.add(new InboundKey(name, hash));
        }
        return List.copyOf(keys);
    }

    private static byte[] hex(String hex) {
        String digits = hex.strip().toLowerCase(Locale.ROOT);
        if (!digits.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: must be followed by 64 hex digits");
        }
        return HexFormat.of().parseHex(digits);
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant time for a given key, whatever the presented value. */
    public boolean matches(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    /** Short hash prefix: tells keys apart in logs without revealing them. */
    public String fingerprint() {
        return HexFormat.of().formatHex(sha256, 0, 4);
    }

    /** The name for logs and limits: the configured name, else the fingerprint. */
    public String label() {
        return name != null ? name : fingerprint();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundKey other && MessageDigest.isEqual(sha256, other.sha256)
                && java.util.Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "InboundKey[" + label() + "]";
    }
}
