package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/** Bench-only access to the package-private Anthropic translation classes. */
public final class AnthropicBench {
    private static final String MESSAGE_ID = "msg_01BenchXyZ0123456789abcd";
    private static final String CLIENT_MODEL = "claude-sonnet-4-5-20250929";

    private AnthropicBench() {
    }

    /**
     * One whole stream through {@link AnthropicStreamTranslator} (a fresh translator, as per response): every
     * chunk, then the end; each event serialised with {@link AnthropicStreamEvent#toSse()} unless
     * {@code serialize} is false. Returns the number of events.
     */
    public static int translate(List<JsonNode> chunks, boolean serialize, Blackhole bh) {
        AnthropicStreamTranslator translator = newTranslator();
        int events = 0;
        for (JsonNode chunk : chunks) {
            events += emit(translator.onChunk(chunk), serialize, bh);
        }
        return events + emit(translator.onEnd(), serialize, bh);
    }

    /** As {@link #translate}, parsing each chunk's text first, as the relay does for every upstream event. */
    public static int parseAndTranslate(List<String> chunks, Blackhole bh) {
        AnthropicStreamTranslator translator = newTranslator();
        int events = 0;
        try {
            for (String chunk : chunks) {
                events += emit(translator.onChunk(Json.MAPPER.readTree(chunk)), true, bh);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events + emit(translator.onEnd(), true, bh);
    }

    /** The upstream body for an Anthropic request, with the defaults a fresh install has. */
    public static ObjectNode translateRequest(JsonNode anthropicRequest, String upstreamModel) {
        try {
            return AnthropicRequestTranslator.translate(anthropicRequest, upstreamModel, null,
                    TranslationSettings.defaults()).openAiRequest();
        } catch (AnthropicRequestException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The input-token estimate the Messages endpoint computes for every streamed request (for
     * {@code message_start}), on a later turn: the long texts were counted on an earlier one.
     */
    public static int estimateInputTokens(JsonNode anthropicRequest) {
        return Counter.O200K.countRequest(anthropicRequest);
    }

    /** The same estimate on a first turn: nothing of the request has been counted before. */
    public static int estimateInputTokensFirstTurn(JsonNode anthropicRequest) {
        return new TokenCounter("o200k_base").countRequest(anthropicRequest);
    }

    /** Built on first use only: building an encoding takes ~0.3 s and ~100 MB, as on the gateway's first request. */
    private static final class Counter {
        static final TokenCounter O200K = new TokenCounter("o200k_base");
    }

    private static AnthropicStreamTranslator newTranslator() {
        return new AnthropicStreamTranslator(MESSAGE_ID, CLIENT_MODEL, 1200, new ToolNames(), List.of());
    }

    private static int emit(List<AnthropicStreamEvent> events, boolean serialize, Blackhole bh) {
        for (AnthropicStreamEvent event : events) {
            bh.consume(serialize ? event.toSse() : event);
        }
        return events.size();
    }
}
