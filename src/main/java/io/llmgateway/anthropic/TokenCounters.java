package io.llmgateway.anthropic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link TokenCounter} per encoding, built on first use: building an encoding is the expensive part. */
final class TokenCounters {
    private final Map<String, TokenCounter> byEncoding = new ConcurrentHashMap<>();

    TokenCounter forEncoding(String encoding) {
        return byEncoding.computeIfAbsent(encoding, TokenCounter::new);
    }
}
