package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import io.llmgateway.relay.StreamDialect;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.UpstreamException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The Anthropic side of a relayed stream: upstream OpenAI events in, translated Anthropic frames out (each
 * flushed on its own), driven by {@link AnthropicStreamTranslator}'s state machine. While the upstream is
 * silent a {@code ping} goes out every ping interval; that write is also how a client that hung up during a
 * long silence is noticed, and then the upstream call is aborted.
 */
final class AnthropicStreamRelay implements StreamDialect {
    private static final Logger LOG = Logger.getLogger(AnthropicStreamRelay.class.getName());

    private final AnthropicStreamTranslator translator;
    private final byte[] ping;

    AnthropicStreamRelay(AnthropicStreamTranslator translator) {
        this.translator = translator;
        this.ping = translator.ping().toSse();
    }

    @Override
    public void open(Consumer<byte[]> out) {
        send(translator.start(), out);
    }

    @Override
    public boolean onEvent(SseEvent event, Consumer<byte[]> out) {
        if (translator.state() == AnthropicStreamTranslator.State.FINISHED) {
            return true;
        }
        if ("[DONE]".equals(event.data())) {
            send(translator.onEnd(), out);
            return true;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(event.data());
        } catch (IOException e) {
            LOG.fine("Skipping an upstream event that is not JSON");
            return false;
        }
        send(translator.onChunk(chunk), out);
        return translator.state() == AnthropicStreamTranslator.State.FINISHED;
    }

    @Override
    public void onEnd(Consumer<byte[]> out) {
        send(translator.onEnd(), out);
    }

    @Override
    public void onFailure(UpstreamException failure, Consumer<byte[]> out) {
        send(failure.kind() == UpstreamException.Kind.TIMEOUT
                ? translator.onFailure("timeout_error",
                        "The upstream model stopped sending for longer than LLM_REQUEST_TIMEOUT")
                : translator.onFailure("api_error", "The upstream connection failed mid-stream: " + failure.getMessage()),
                out);
    }

    @Override
    public Response errorResponse(UpstreamException failure) {
        return AnthropicErrors.of(failure);
    }

    @Override
    public byte[] keepAlive() {
        return ping;
    }

    private static void send(List<AnthropicStreamEvent> events, Consumer<byte[]> out) {
        for (AnthropicStreamEvent event : events) {
            out.accept(event.toSse());
        }
    }
}
