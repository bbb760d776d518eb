package io.llmgateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.relay.DialectServlet;
import io.llmgateway.relay.Reply;
import io.llmgateway.relay.RequestFacts;
import io.llmgateway.relay.SseResponse;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;

/**
 * {@code POST /v1/chat/completions}: the client's JSON goes upstream unchanged except for {@code model}
 * resolution and conversation healing, so fields this gateway does not know survive. The HTTP status is
 * decided only once the upstream has answered; after that, failures travel inside the stream.
 */
public final class ChatCompletionsServlet extends DialectServlet {
    private final transient LlmUpstream upstream;
    private final transient Models models;

    public ChatCompletionsServlet(LlmUpstream upstream, Models models) {
        this.upstream = upstream;
        this.models = models;
    }

    @Override
    protected Reply answer(byte[] body, HttpServletRequest request, RequestFacts facts) {
        ObjectNode json;
        try {
            json = ChatRequests.parse(body);
        } catch (ChatRequests.InvalidRequestException e) {
            return Reply.of(OpenAiErrors.response(400, e.getMessage(), e.param(), null));
        }
        Resolution resolution = models.resolve(json.path("model").textValue());
        if (!resolution.found()) {
            return Reply.of(OpenAiErrors.response(404, resolution.reason(), "model", "model_not_found"));
        }
        // The client's own bytes go upstream unless the gateway changed something.
        byte[] received = resolution.model().equals(json.path("model").textValue()) ? body : null;
        json.put("model", resolution.model());
        boolean stream = json.path("stream").asBoolean(false);
        facts.call(resolution.model(), stream);
        if (stream) {
            // No thread waits for this stream: the upstream's I/O threads drive it to the end.
            SseResponse relay = new SseResponse(request.startAsync(), facts, new OpenAiStreamRelay(), null,
                    Duration.ZERO);
            try {
                upstream.chatStream(json, received, relay);
            } catch (UpstreamException e) {
                relay.onFailure(e);
            }
            return null;
        }
        UpstreamResponse answer;
        try {
            answer = upstream.chat(json, received);
        } catch (UpstreamException e) {
            return Reply.of(OpenAiErrors.of(e));
        }
        facts.upstreamLatency(answer.latency());
        return response -> {
            try (answer) { // closing the answer closes its body quietly, even when the upstream broke it
                response.setContentType(answer.contentType());
                answer.copyBodyTo(response.getOutputStream());
            }
        };
    }

    @Override
    protected Reply error(int status, String message) {
        return Reply.of(OpenAiErrors.response(status, message));
    }
}
