package io.llmgateway.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GATEWAY_KEY_LIMITS}: per-key limits as {@code name=concurrent/perMinute}, with {@code *} for every
 * other key, e.g. {@code *=8/120,ci-bot=2/30}. 0 means unlimited. Unset: no limits.
 */
public record KeyLimits(Limit fallback, Map<String, Limit> perKey) {
    /** Limits for one key; 0 means unlimited. */
    public record Limit(int concurrent, int perMinute) {
        public static final Limit NONE = new Limit(0, 0);
    }

    static final KeyLimits NONE = new KeyLimits(Limit.NONE, Map.of());

    static KeyLimits parse(String text) {
        Limit fallback = Limit.NONE;
        Map<String, Limit> perKey = new LinkedHashMap<>();
        for (String entry : Parsers.list(text)) {
            int eq = entry.indexOf('=');
            String[] parts = eq < 0 ? new String[0] : entry.substring(eq + 1).split("/");
            if (eq <= 0 || parts.length != 2) {
                throw new IllegalArgumentException("expected name=concurrent/perMinute entries, e.g. *=8/120,ci-bot=2/30");
            }
            Limit limit = new Limit(count(parts[0]), count(parts[1]));
            String name = entry.substring(0, eq).strip();
            if (name.equals("*")) {
                fallback = limit;
            } else {
                perKey.put(name, limit);
            }
        }
        return new KeyLimits(fallback, Map.copyOf(perKey));
    }

    private static int count(String s) {
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected whole numbers >= 0 (0 = unlimited)");
    }

    public Limit forKey(String label) {
        return perKey.getOrDefault(label, fallback);
    }
}
