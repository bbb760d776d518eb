package io.llmgateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of the thinking-budget → {@code reasoning_effort} mapping: budgets up to {@code maxBudget}
 * (null: any larger budget) become {@code effort}. {@code LLM_REASONING_BUCKETS=low:4096,medium:16384,high}.
 */
public record ReasoningBucket(String effort, Integer maxBudget) {
    static final List<ReasoningBucket> DEFAULTS =
            List.of(new ReasoningBucket("low", 4096), new ReasoningBucket("medium", 16384), new ReasoningBucket("high", null));

    static List<ReasoningBucket> parseList(String text) {
        List<ReasoningBucket> buckets = new ArrayList<>();
        for (String entry : Parsers.list(text)) {
            String[] parts = entry.split(":", -1);
            if (parts.length > 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("expected effort:maxBudget entries, e.g. low:4096,medium:16384,high");
            }
            Integer max = parts.length == 2
                    ? Integer.valueOf(Parsers.positiveInt(parts[1], "expected a positive budget in " + entry)) : null;
            buckets.add(new ReasoningBucket(parts[0].strip(), max));
        }
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1).maxBudget() != null) {
            throw new IllegalArgumentException("the last bucket must have no limit, e.g. ...,high");
        }
        return List.copyOf(buckets);
    }


    /** The effort for a thinking budget. */
    public static String effortFor(List<ReasoningBucket> buckets, int budget) {
        for (ReasoningBucket bucket : buckets) {
            if (bucket.maxBudget() == null || budget <= bucket.maxBudget()) {
                return bucket.effort();
            }
        }
        return buckets.get(buckets.size() - 1).effort();
    }
}
