package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.upstream.JsonBody;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.ModelInfo;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.RequestFacts;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import io.llmgateway.relay.SseResponse;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens}: Anthropic's Messages API translated to and
 * from the OpenAI-compatible upstream. Query strings ({@code ?beta=true}) and the {@code anthropic-*} headers are
 * accepted and never forwarded.
 */
@Singleton
@Path("messages")
public final class MessagesResource {
    private static final int MAX_COMPLETION_BYTES = 64 << 20;

    private final LlmUpstream upstream;
    private final Models models;
    private final LiveConfig config;
    private final ScheduledExecutorService scheduler;
    private final TokenCounters counters = new TokenCounters();

    @Inject
    public MessagesResource(LlmUpstream upstream, Models models, LiveConfig config, ScheduledExecutorService scheduler) {
        this.upstream = upstream;
        this.models = models;
        this.config = config;
        this.scheduler = scheduler;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public void create(byte[] body, @Context ContainerRequestContext request, @Context HttpServletRequest servlet,
            @Suspended AsyncResponse async) {
        Response response = answer(body, request, servlet, async);
        if (response != null) {
            async.resume(response);
        }
    }

    /** The response, or null when a stream was started (it then answers on its own). */
    private Response answer(byte[] body, ContainerRequestContext request, HttpServletRequest servlet,
            AsyncResponse async) {
        ObjectNode json;
        try {
            json = JsonBody.parseObject(body);
        } catch (JsonBody.InvalidJsonBody e) {
            return AnthropicErrors.response(400, e.getMessage());
        }
        String clientModel = json.path("model").isTextual() ? json.get("model").asText() : null;
        if (clientModel == null) {
            return AnthropicErrors.response(400, "model: Field required");
        }
        Resolution resolution = models.resolve(clientModel);
        if (!resolution.found()) {
            return AnthropicErrors.response(404, resolution.reason());
        }
        GatewayConfig current = config.current();
        AnthropicRequestTranslation translation;
        try {
            translation = AnthropicRequestTranslator.translate(json, resolution.model(),
                    models.find(resolution.model()).map(ModelInfo::maxOutputTokens).orElse(null),
                    TranslationSettings.from(current));
        } catch (AnthropicRequestException e) {
            return AnthropicErrors.response(400, e.getMessage());
        }
        request.setProperty(RequestFacts.MODEL, resolution.model());
        request.setProperty(RequestFacts.STREAM, translation.stream());

        String messageId = newMessageId();
        if (translation.stream()) {
            // Only message_start needs an estimate (the real count arrives with the upstream's usage); counting
            // costs about 0.5 ms on a Claude Code request, so non-streaming requests skip it.
            int inputEstimate = counters.forEncoding(current.tokenizer()).countRequest(json);
            AnthropicStreamTranslator translator = new AnthropicStreamTranslator(messageId, clientModel, inputEstimate,
                    translation.toolNames(), translation.stopSequences());
            try {
                // No thread waits for this stream: the upstream's I/O threads drive it to the end.
                upstream.chatStream(translation.openAiRequest(), new SseResponse(async, request, servlet,
                        new AnthropicStreamRelay(translator), scheduler, current.pingInterval()));
                return null;
            } catch (UpstreamException e) {
                return AnthropicErrors.of(e);
            }
        }
        UpstreamResponse answer;
        try {
            answer = upstream.chat(translation.openAiRequest());
        } catch (UpstreamException e) {
            return AnthropicErrors.of(e);
        }
        request.setProperty(RequestFacts.UPSTREAM_LATENCY_MS, answer.latency().toMillis());
        try (answer; InputStream in = answer.body()) {
            JsonNode completion = Json.MAPPER.readTree(in.readNBytes(MAX_COMPLETION_BYTES));
            ObjectNode message = AnthropicResponseTranslator.toMessage(completion, clientModel,
                    translation.toolNames(), translation.stopSequences(), messageId);
            // bytes, not a String: Jersey would encode a String to UTF-8 again on the way out
            return Response.ok(Json.MAPPER.writeValueAsBytes(message), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (AnthropicResponseException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body().toString()).build();
        } catch (IOException e) {
            return AnthropicErrors.response(502, "The upstream answer could not be read: " + e.getMessage());
        }
    }

    @POST
    @Path("count_tokens")
    @Consumes(MediaType.WILDCARD)
    public Response countTokens(byte[] body) {
        ObjectNode json;
        try {
            json = JsonBody.parseObject(body);
        } catch (JsonBody.InvalidJsonBody e) {
            return AnthropicErrors.response(400, e.getMessage());
        }
        if (!json.path("messages").isArray()) {
            return AnthropicErrors.response(400, "messages: Field required");
        }
        int tokens = counters.forEncoding(config.current().tokenizer()).countRequest(json);
        return Response.ok("{\"input_tokens\":" + tokens + "}", MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static String newMessageId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "msg_" + HexFormat.of().formatHex(bytes);
    }
}
