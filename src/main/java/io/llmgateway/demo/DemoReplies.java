package io.llmgateway.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The demo upstream's answers, whichever server carries them (the servlet inside the WAR, or the JDK HTTP
 * server for the in-process LangChain4j demo): each transport only writes {@code status} and {@code body}.
 */
final class DemoReplies {
    /** The models' {@code created} time, fixed so the catalog is the same on every call (2025-01-01T00:00:00Z). */
    static final long MODELS_CREATED = 1_735_689_600L;

    record Reply(int status, ObjectNode body) {
    }

    private DemoReplies() {
    }

    /** The token endpoint: only {@code grant_type=refresh_token}, and any refresh token is accepted. */
    static Reply grant(DemoTokens tokens, String grantType, String refreshToken) {
        if (grantType == null || grantType.isBlank()) {
            return oauthError("invalid_request", "Missing grant_type.");
        }
        if (!"refresh_token".equals(grantType)) {
            return oauthError("unsupported_grant_type",
                    "The demo authorization server supports only grant_type=refresh_token.");
        }
        if (refreshToken == null || refreshToken.isBlank()) {
            return oauthError("invalid_request", "Missing refresh_token.");
        }
        DemoTokens.Issued issued = tokens.issue();
        return new Reply(200, JsonNodeFactory.instance.objectNode()
                .put("access_token", issued.accessToken())
                .put("token_type", "Bearer")
                .put("expires_in", issued.expiresInSeconds())
                .put("refresh_token", issued.refreshToken())
                .put("scope", "demo"));
    }

    /** {@code GET /v1/models}. */
    static ObjectNode models() {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        DemoChat.MODELS.forEach(model -> data.addObject()
                .put("id", model)
                .put("object", "model")
                .put("created", MODELS_CREATED)
                .put("owned_by", "llm-gateway-demo"));
        return list;
    }

    static ObjectNode openAiError(String message, String type, String param, String code) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        return body;
    }

    private static Reply oauthError(String error, String description) {
        return new Reply(400, JsonNodeFactory.instance.objectNode()
                .put("error", error)
                .put("error_description", description));
    }
}
