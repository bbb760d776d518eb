package io.llmgateway.anthropic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tool names as the upstream sees them. OpenAI-style upstreams reject function names over 64 characters, and
 * Claude Code's MCP tools ({@code mcp__server__tool}) exceed that; long names are shortened deterministically
 * (same input, same short name, in every turn) and restored in responses.
 */
final class ToolNames {
    static final int MAX_LENGTH = 64;
    private static final int HASH_CHARS = 8;

    private final Map<String, String> toOriginal = new HashMap<>();

    /** The name to send upstream; remembers the mapping so a response can be translated back. */
    String upstream(String original) {
        String name = original.length() <= MAX_LENGTH ? original : shorten(original);
        toOriginal.putIfAbsent(name, original);
        return name;
    }

    /** The client's name for an upstream name (unchanged when it was never shortened). */
    String original(String upstream) {
        return toOriginal.getOrDefault(upstream, upstream);
    }

    static String shorten(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
            return name.substring(0, MAX_LENGTH - HASH_CHARS - 1) + "_" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
