package io.llmgateway.auth;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot for the health page; holds no secret.
 *
 * @param state         of the held access token ({@link TokenState#EXPIRED} when none is held)
 * @param ready         whether a token is held or can be expected from the next refresh
 * @param expiresAt     expiry of the held token, null when none
 * @param lastError     message of the last failed refresh, null after a success
 * @param lastRefreshAt time of the last successful refresh by this process, null if none yet
 * @param warnings      problems that do not stop service, e.g. an unwritable token store
 * @param store         {@link TokenStore#describe()}
 */
public record TokenHealth(TokenState state, boolean ready, Instant expiresAt, String lastError,
                          Instant lastRefreshAt, List<String> warnings, String store) {
    public TokenHealth {
        warnings = List.copyOf(warnings);
    }
}
