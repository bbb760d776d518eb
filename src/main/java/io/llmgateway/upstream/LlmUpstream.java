package io.llmgateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.auth.TokenManager;
import io.llmgateway.auth.TokenRefreshException;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.config.Secret;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenAI-compatible model endpoint behind its credentials: what every dialect calls. Heals the
 * conversation, picks the bearer ({@code LLM_API_KEY} or an OAuth access token), and on a 401 forces one
 * token refresh and retries once. Nothing has reached the client at that point, so the retry is invisible.
 */
public final class LlmUpstream {
    private static final Logger LOG = Logger.getLogger(LlmUpstream.class.getName());
    /** Resolved once: ObjectMapper looks the serializer up on every call. */
    private static final ObjectWriter REQUEST_WRITER = Json.MAPPER.writerFor(JsonNode.class);

    private final LiveConfig config;
    private final Endpoints endpoints;
    private final UpstreamClient client;
    private final TokenManager tokens;

    public LlmUpstream(LiveConfig config, Endpoints endpoints, UpstreamClient client, TokenManager tokens) {
        this.config = config;
        this.endpoints = endpoints;
        this.client = client;
        this.tokens = tokens;
    }

    /**
     * Sends a chat completions request (already in OpenAI form, model resolved) and returns the upstream's
     * answer once its headers arrived. The request's {@code messages} are healed first.
     */
    public UpstreamResponse chat(ObjectNode request) {
        return chat(request, null);
    }

    /**
     * As {@link #chat(ObjectNode)}, for a request whose JSON is exactly {@code received}, the client's bytes: when
     * healing changes nothing, they go upstream as they came, byte for byte and without serialising again.
     */
    public UpstreamResponse chat(ObjectNode request, byte[] received) {
        byte[] body = body(request, received);
        boolean stream = request.path("stream").asBoolean(false);
        String bearer = bearer();
        try {
            return client.postJson(endpoints.chatCompletions(), body, bearer, stream);
        } catch (UpstreamException e) {
            if (e.kind() != UpstreamException.Kind.HTTP_STATUS || e.clientStatus() != 401 || staticKey() != null) {
                throw e;
            }
            LOG.info("Upstream rejected the access token (401): refreshing it and retrying once");
            return client.postJson(endpoints.chatCompletions(), body, refreshedBearer(bearer), stream);
        }
    }

    /**
     * Sends a streaming chat completions request without holding a thread: everything the upstream answers goes
     * to {@code listener} (see {@link StreamListener}). A 401 before the answer forces one token refresh and
     * one retry, as for {@link #chat}. Getting the first bearer may block on a token refresh.
     */
    public void chatStream(ObjectNode request, StreamListener listener) {
        chatStream(request, null, listener);
    }

    /** As {@link #chatStream(ObjectNode, StreamListener)}, sending {@code received} as {@link #chat(ObjectNode, byte[])} does. */
    public void chatStream(ObjectNode request, byte[] received, StreamListener listener) {
        byte[] body = body(request, received);
        String bearer = bearer();
        client.stream(endpoints.chatCompletions(), body, bearer,
                staticKey() != null ? listener : new RetryOnRejectedToken(body, bearer, listener));
    }

    /**
     * Passes a stream on, except that a 401 before the answer forces one token refresh and one retry. The body is
     * held only until the upstream answers: an open stream must not keep a large prompt on the heap.
     */
    private final class RetryOnRejectedToken extends ForwardingStreamListener {
        private final String bearer;
        private final StreamListener listener;
        private byte[] body;

        RetryOnRejectedToken(byte[] body, String bearer, StreamListener listener) {
            super(listener);
            this.body = body;
            this.bearer = bearer;
            this.listener = listener;
        }

        @Override
        public void onOpen(UpstreamStream stream) {
            body = null;
            super.onOpen(stream);
        }

        @Override
        public void onFailure(UpstreamException failure) {
            byte[] retry = body;
            body = null;
            boolean rejectedToken = failure.kind() == UpstreamException.Kind.HTTP_STATUS && failure.clientStatus() == 401;
            if (retry == null || !rejectedToken) {
                super.onFailure(failure);
                return;
            }
            LOG.info("Upstream rejected the access token (401): refreshing it and retrying once");
            client.offload(() -> {
                String refreshed;
                try {
                    refreshed = refreshedBearer(bearer);
                } catch (UpstreamException e) {
                    listener.onFailure(e);
                    return;
                }
                client.stream(endpoints.chatCompletions(), retry, refreshed, listener);
            });
        }
    }

    private static byte[] body(ObjectNode request, byte[] received) {
        LOG.fine(() -> "Upstream call: model=" + request.path("model").asText() + " stream="
                + request.path("stream").asBoolean(false) + " messages=" + request.path("messages").size());
        ObjectNode healed = healed(request);
        if (healed == request && received != null) {
            return received;
        }
        try {
            return REQUEST_WRITER.writeValueAsBytes(healed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bearer for catalog and inference calls. */
    public String bearer() {
        Secret key = staticKey();
        if (key != null) {
            return key.reveal();
        }
        try {
            return tokens.accessToken();
        } catch (TokenRefreshException e) {
            throw UpstreamException.noToken("No access token: " + e.getMessage(), e);
        }
    }

    private String refreshedBearer(String rejected) {
        try {
            return tokens.refreshAfterRejection(rejected);
        } catch (TokenRefreshException e) {
            throw UpstreamException.noToken("No access token: " + e.getMessage(), e);
        }
    }

    private Secret staticKey() {
        GatewayConfig current = config.current();
        return endpoints.demo() ? null : current.llmApiKey();
    }

    private static ObjectNode healed(ObjectNode request) {
        JsonNode messages = request.get("messages");
        if (!(messages instanceof ArrayNode array)) {
            return request;
        }
        ConversationHealer.HealResult result = ConversationHealer.heal(array);
        if (result.messages() == array) {
            return request;
        }
        if (LOG.isLoggable(Level.FINE)) {
            result.changes().forEach(change -> LOG.fine("Healed conversation: " + change));
        }
        ObjectNode copy = Json.MAPPER.createObjectNode();
        copy.setAll(request); // shallow: only messages changes, and key order stays as the client sent it
        copy.set("messages", result.messages());
        return copy;
    }
}
