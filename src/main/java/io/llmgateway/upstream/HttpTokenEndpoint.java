package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.auth.TokenEndpoint;
import io.llmgateway.auth.TokenGrant;
import io.llmgateway.auth.TokenRefreshException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OAuth2 refresh-token grant over HTTP ({@code grant_type=refresh_token}, {@code client_id},
 * {@code refresh_token}; a public client, no secret), as a quick call with the gateway's TLS trust and proxy
 * rules. Lives here rather than in {@code auth} so that {@code auth} stays free of HTTP.
 */
public final class HttpTokenEndpoint implements TokenEndpoint {
    private final UpstreamClient client;
    private final Supplier<URI> tokenUrl;
    private final Supplier<String> clientId;

    public HttpTokenEndpoint(UpstreamClient client, Supplier<URI> tokenUrl, Supplier<String> clientId) {
        this.client = client;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
    }

    @Override
    public TokenGrant refresh(String refreshToken) {
        URI url;
        try {
            url = tokenUrl.get();
        } catch (IllegalStateException e) {
            throw TokenRefreshException.network(e.getMessage(), e);
        }
        if (url == null) {
            throw TokenRefreshException.network("No token endpoint configured: set OAUTH_HOST (or OAUTH_TOKEN_URL), "
                    + "OAUTH_CLIENT_ID and OAUTH_REFRESH_TOKEN, or LLM_API_KEY for a static key", null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        if (clientId.get() != null) {
            form.put("client_id", clientId.get());
        }
        form.put("refresh_token", refreshToken);
        UpstreamClient.QuickAnswer answer;
        try {
            answer = client.postForm(url, form);
        } catch (UpstreamException e) {
            throw TokenRefreshException.network("Token endpoint " + url + " unreachable: " + e.getMessage(), e);
        }
        JsonNode body = answer.body();
        if (answer.status() / 100 != 2 || body == null || !body.path("access_token").isTextual()) {
            throw TokenRefreshException.rejected(answer.status(),
                    body == null ? null : body.path("error").textValue(),
                    body == null ? "no JSON body" : body.path("error_description").asText(
                            body.has("access_token") ? "" : "the answer carried no access_token"));
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        String rotated = body.path("refresh_token").textValue();
        return new TokenGrant(body.get("access_token").asText(), Duration.ofSeconds(expiresIn),
                rotated == null || rotated.isBlank() ? null : rotated);
    }
}
