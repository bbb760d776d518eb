package io.llmgateway.langchain4j;

import io.llmgateway.demo.DemoSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the four contract test classes share: the demo upstream they run against, and what does not apply. */
final class ContractCases {
    private static final String SUPPORTED = "the model supports this feature, and the matching should_respect_* "
            + "cases run; LangChain4j's own @DisabledIf would only report this twin as skipped";
    private static final String NO_VISION = "the simulated upstream cannot see images, and these cases ask what a "
            + "cat photo shows (the URL ones would also need the internet); that images reach the upstream as "
            + "image_url parts, by URL and base64, is asserted by GatewayChatModelTest."
            + "imagesReachTheUpstreamAsImageUrlPartsWithTheirDetail";

    /** Not applicable to either model. */
    static final Map<String, String> NOT_RUN_HERE = Map.ofEntries(
            Map.entry("should_fail_if_modelName_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_maxOutputTokens_parameter_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_stopSequences_parameter_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_tools_are_not_supported", SUPPORTED),
            Map.entry("should_fail_if_tool_choice_REQUIRED_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_JSON_response_format_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_JSON_response_format_with_schema_is_not_supported", SUPPORTED),
            Map.entry("should_fail_if_images_as_base64_encoded_strings_are_not_supported", SUPPORTED),
            Map.entry("should_fail_if_images_as_public_URLs_are_not_supported", SUPPORTED),
            Map.entry("should_accept_single_image_as_base64_encoded_string", NO_VISION),
            Map.entry("should_accept_multiple_images_as_base64_encoded_strings", NO_VISION),
            Map.entry("should_accept_single_image_as_public_URL", NO_VISION),
            Map.entry("should_accept_multiple_images_as_public_URLs", NO_VISION));

    /** Not applicable to the streaming model, on top of {@link #NOT_RUN_HERE}. */
    static final Map<String, String> NOT_RUN_HERE_STREAMING;

    static {
        Map<String, String> streaming = new HashMap<>(NOT_RUN_HERE);
        streaming.put("should_cancel_streaming", "after cancelling it waits a fixed 30 s for a completion that must "
                + "not come; GatewayStreamingChatModelTest.cancellingThroughTheStreamingHandleStopsCallbacksAndClosesTheUpstreamConnection "
                + "checks the same (5 partial responses, no completion, no error, idempotent cancel) and that the "
                + "upstream saw its connection close, without the wait");
        NOT_RUN_HERE_STREAMING = Map.copyOf(streaming);
    }

    private ContractCases() {
    }

    /** The in-process simulated upstream (LLM_API_URL is unset in tests), streaming without pauses. */
    static GatewayUpstream demoUpstream() {
        return GatewayUpstream.builder()
                .demoSettings(new DemoSettings(Duration.ofHours(1), Duration.ZERO, Clock.systemUTC()))
                .build();
    }

    /** As {@link #demoUpstream()}, with one configuration key set. */
    static GatewayUpstream demoUpstreamWith(String key, String value) {
        return GatewayUpstream.builder()
                .property(key, value)
                .demoSettings(new DemoSettings(Duration.ofHours(1), Duration.ZERO, Clock.systemUTC()))
                .build();
    }
}
