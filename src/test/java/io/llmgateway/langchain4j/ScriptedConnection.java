package io.llmgateway.langchain4j;

import io.llmgateway.testing.ScriptedUpstream;
import java.nio.file.Path;
import java.util.Map;

/** A {@link GatewayUpstream} configured in code against a {@link ScriptedUpstream}, as an application would. */
final class ScriptedConnection {
    private ScriptedConnection() {
    }

    /** Token endpoint, chat URL, client id, refresh token "rt-seed", default model "test-model"; retries do not wait. */
    static GatewayUpstream to(ScriptedUpstream upstream, Path envFile, Map<String, String> extra) {
        GatewayUpstream.Builder builder = GatewayUpstream.builder().sleeper(duration -> { });
        upstream.gatewayConfig(envFile.toString()).forEach(builder::property);
        builder.refreshToken("rt-seed");
        extra.forEach(builder::property);
        return builder.build();
    }

    static String completion(String text, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"" + finishReason + "\"}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}";
    }

    static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

    static String text(String text) {
        return chunk("{\"content\":\"" + text + "\"}", null);
    }

    static String usage(int prompt, int completion) {
        return "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n";
    }

    static final String DONE = "data: [DONE]\n\n";
}
