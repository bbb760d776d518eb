package io.llmgateway.auth;

/**
 * A refresh that produced no access token: the server was unreachable ({@link #status()} 0) or answered with an
 * error. Messages carry the server's own {@code error} and {@code error_description}, never a token.
 */
public final class TokenRefreshException extends RuntimeException {
    static final String INVALID_GRANT = "invalid_grant";
    private static final int MAX_DESCRIPTION = 300;

    private final int status;
    private final String error;
    private final String errorDescription;

    private TokenRefreshException(String message, int status, String error, String errorDescription,
                                  Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    /** No usable response: connect/read failure, timeout, TLS problem. */
    public static TokenRefreshException network(String message, Throwable cause) {
        return new TokenRefreshException(message, 0, null, null, cause);
    }

    /** The server answered {@code status} with an OAuth error body ({@code error} may be null if it had none). */
    public static TokenRefreshException rejected(int status, String error, String description) {
        return new TokenRefreshException(rejectionMessage(status, error, description, "the configuration"),
                status, error, description, null);
    }

    /** Neither the store nor the configuration holds a refresh token. */
    static TokenRefreshException missingRefreshToken(String location) {
        return new TokenRefreshException("No refresh token is configured. Obtain one and set OAUTH_REFRESH_TOKEN in "
                + location + ".", 0, null, null, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String errorDescription() {
        return errorDescription;
    }

    /** The refresh token itself is dead: retrying cannot help until an operator re-seeds it. */
    public boolean invalidGrant() {
        return INVALID_GRANT.equals(error);
    }

    /** The same failure, its fix naming where the operator must put the new refresh token. */
    TokenRefreshException withRefreshTokenLocation(String location) {
        return invalidGrant()
                ? new TokenRefreshException(rejectionMessage(status, error, errorDescription, location),
                        status, error, errorDescription, getCause())
                : this;
    }

    /** A copy per waiting caller, so each stack trace shows its own caller; the shared original is the cause. */
    TokenRefreshException forCaller() {
        return new TokenRefreshException(getMessage(), status, error, errorDescription, this);
    }

    private static String rejectionMessage(int status, String error, String description, String location) {
        String detail = error == null ? "" : " (" + error + (description == null ? "" : ": " + clip(description)) + ")";
        if (INVALID_GRANT.equals(error)) {
            return "The authorization server rejected the refresh token" + detail
                    + ". Obtain a new refresh token and set OAUTH_REFRESH_TOKEN in " + location + ".";
        }
        return "The authorization server refused the token refresh with HTTP " + status + detail + ".";
    }

    /** Descriptions come from a remote server: an HTML error page must not flood logs and health output. */
    private static String clip(String description) {
        String oneLine = description.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DESCRIPTION ? oneLine : oneLine.substring(0, MAX_DESCRIPTION) + "…";
    }
}
