package io.llmgateway.anthropic;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.OutputTokenLimits;
import io.llmgateway.config.ReasoningBucket;
import java.util.List;

/** The configuration the Anthropic ⇄ OpenAI translation depends on, taken from one config snapshot. */
record TranslationSettings(
        boolean stripBillingHeader,
        boolean reasoningEffortEnabled,
        List<ReasoningBucket> reasoningBuckets,
        String adaptiveReasoningEffort,
        boolean replayReasoning,
        OutputTokenLimits maxOutputTokens,
        String maxTokensField,
        boolean streamUsage) {

    static TranslationSettings from(GatewayConfig config) {
        return new TranslationSettings(config.stripBillingHeader(), config.reasoningEffortEnabled(),
                config.reasoningBuckets(), config.adaptiveReasoningEffort(), config.replayReasoning(),
                config.maxOutputTokens(), config.maxTokensField(), config.streamUsage());
    }

    /** Defaults as a fresh install has them; for tests. */
    static TranslationSettings defaults() {
        return new TranslationSettings(true, true, List.of(new ReasoningBucket("low", 4096),
                new ReasoningBucket("medium", 16384), new ReasoningBucket("high", null)), "medium", false,
                new OutputTokenLimits(null, java.util.Map.of()), "max_tokens", true);
    }
}
