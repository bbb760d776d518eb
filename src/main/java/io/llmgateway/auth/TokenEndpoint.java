package io.llmgateway.auth;

/** The authorization server's token endpoint: trades a refresh token for a new access token. */
public interface TokenEndpoint {
    /**
     * One {@code grant_type=refresh_token} call.
     *
     * @throws TokenRefreshException when the server rejects the grant or cannot be reached
     */
    TokenGrant refresh(String refreshToken);
}
