package io.llmgateway.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code LLM_MAX_OUTPUT_TOKENS}: a global cap ({@code 8192}), per-model caps ({@code gpt-4.1=32768}), or both
 * ({@code gpt-4.1=32768,8192}). Clients such as Claude Code ask for 32k–64k tokens, more than many upstream
 * models accept.
 */
public record OutputTokenLimits(Integer global, Map<String, Integer> perModel) {
    private static final String EXPECTED = "expected a positive whole number of tokens, or model=N entries";
    static final OutputTokenLimits NONE = new OutputTokenLimits(null, Map.of());

    static OutputTokenLimits parse(String text) {
        Integer global = null;
        Map<String, Integer> perModel = new LinkedHashMap<>();
        for (String entry : Parsers.list(text)) {
            int eq = entry.lastIndexOf('=');
            if (eq < 0) {
                global = Parsers.positiveInt(entry, EXPECTED);
            } else {
                perModel.put(entry.substring(0, eq).strip(), Parsers.positiveInt(entry.substring(eq + 1), EXPECTED));
            }
        }
        return new OutputTokenLimits(global, Map.copyOf(perModel));
    }


    /** The cap for an upstream model id, or null when none applies. */
    public Integer capFor(String model) {
        Integer specific = perModel.get(model);
        return specific != null ? specific : global;
    }
}
