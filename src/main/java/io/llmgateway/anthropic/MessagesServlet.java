package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.relay.DialectServlet;
import io.llmgateway.relay.Reply;
import io.llmgateway.relay.RequestFacts;
import io.llmgateway.relay.SseResponse;
import io.llmgateway.upstream.JsonBody;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.ModelInfo;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens}: Anthropic's Messages API translated to and
 * from the OpenAI-compatible upstream. Query strings ({@code ?beta=true}) and the {@code anthropic-*} headers are
 * accepted and never forwarded.
 */
public final class MessagesServlet extends DialectServlet {
    /** The servlet paths this servlet answers. */
    public static final String MESSAGES = "/v1/messages";
    public static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final transient LlmUpstream upstream;
    private final transient Models models;
    private final transient LiveConfig config;
    private final transient ScheduledExecutorService scheduler;
    private final transient TokenCounters counters = new TokenCounters();

    public MessagesServlet(LlmUpstream upstream, Models models, LiveConfig config, ScheduledExecutorService scheduler) {
        this.upstream = upstream;
        this.models = models;
        this.config = config;
        this.scheduler = scheduler;
    }

    @Override
    protected Reply answer(byte[] body, HttpServletRequest request, RequestFacts facts) {
        ObjectNode json;
        try {
            json = JsonBody.parseObject(body);
        } catch (JsonBody.InvalidJsonBody e) {
            return error(400, e.getMessage());
        }
        return COUNT_TOKENS.equals(request.getServletPath()) ? countTokens(json) : message(json, request, facts);
    }

    @Override
    protected Reply error(int status, String message) {
        return Reply.of(AnthropicErrors.response(status, message));
    }

    private Reply message(ObjectNode json, HttpServletRequest request, RequestFacts facts) {
        String clientModel = json.path("model").isTextual() ? json.get("model").asText() : null;
        if (clientModel == null) {
            return error(400, "model: Field required");
        }
        Resolution resolution = models.resolve(clientModel);
        if (!resolution.found()) {
            return error(404, resolution.reason());
        }
        GatewayConfig current = config.current();
        AnthropicRequestTranslation translation;
        try {
            translation = AnthropicRequestTranslator.translate(json, resolution.model(),
                    models.find(resolution.model()).map(ModelInfo::maxOutputTokens).orElse(null),
                    TranslationSettings.from(current));
        } catch (AnthropicRequestException e) {
            return error(400, e.getMessage());
        }
        facts.call(resolution.model(), translation.stream());

        String messageId = newMessageId();
        if (translation.stream()) {
            // Only message_start needs an estimate (the real count arrives with the upstream's usage); counting
            // costs about 0.5 ms on a Claude Code request, so non-streaming requests skip it.
            int inputEstimate = counters.forEncoding(current.tokenizer()).countRequest(json);
            AnthropicStreamTranslator translator = new AnthropicStreamTranslator(messageId, clientModel, inputEstimate,
                    translation.toolNames(), translation.stopSequences());
            // No thread waits for this stream: the upstream's I/O threads drive it to the end.
            SseResponse relay = new SseResponse(request.startAsync(), facts, new AnthropicStreamRelay(translator),
                    scheduler, current.pingInterval());
            try {
                upstream.chatStream(translation.openAiRequest(), relay);
            } catch (UpstreamException e) {
                relay.onFailure(e);
            }
            return null;
        }
        UpstreamResponse answer;
        try {
            answer = upstream.chat(translation.openAiRequest());
        } catch (UpstreamException e) {
            return Reply.of(AnthropicErrors.of(e));
        }
        facts.upstreamLatency(answer.latency());
        AnthropicResponseTranslator.Message message;
        try (answer) { // closing the answer drops the connection; closing its body would drain it first
            message = AnthropicResponseTranslator.toMessage(CompletionReader.read(answer.body()), clientModel,
                    translation.toolNames(), translation.stopSequences(), messageId);
        } catch (AnthropicResponseException e) {
            return Reply.json(e.status(), e.body().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return error(502, "The upstream answer could not be read: " + e.getMessage());
        }
        return response -> {
            response.setContentType(MediaType.APPLICATION_JSON); // 200 is the default; see Reply.json
            message.writeTo(response.getOutputStream());
        };
    }

    private Reply countTokens(ObjectNode json) {
        if (!json.path("messages").isArray()) {
            return error(400, "messages: Field required");
        }
        int tokens = counters.forEncoding(config.current().tokenizer()).countRequest(json);
        return Reply.json(200, ("{\"input_tokens\":" + tokens + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static String newMessageId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "msg_" + HexFormat.of().formatHex(bytes);
    }
}
