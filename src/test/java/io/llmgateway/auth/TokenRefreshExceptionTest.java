package io.llmgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class TokenRefreshExceptionTest {

    @Test
    void invalidGrantNamesTheServersErrorAndTheKeyToReseed() {
        // given
        TokenRefreshException rejected = TokenRefreshException.rejected(400, "invalid_grant", "Token is inactive");

        // when
        TokenRefreshException located = rejected.withRefreshTokenLocation("/srv/gateway/.env");

        // then
        assertThat(rejected.invalidGrant()).isTrue();
        assertThat(rejected).hasMessage("The authorization server rejected the refresh token (invalid_grant: "
                + "Token is inactive). Obtain a new refresh token and set OAUTH_REFRESH_TOKEN in the configuration.");
        assertThat(located).hasMessageEndingWith("set OAUTH_REFRESH_TOKEN in /srv/gateway/.env.");
        assertThat(located.status()).isEqualTo(400);
        assertThat(located.error()).isEqualTo("invalid_grant");
        assertThat(located.errorDescription()).isEqualTo("Token is inactive");
    }

    @Test
    void otherRejectionsNameTheStatusAndError() {
        // given
        TokenRefreshException withError = TokenRefreshException.rejected(401, "invalid_client", "Unknown client");
        TokenRefreshException withoutError = TokenRefreshException.rejected(503, null, null);

        // when
        TokenRefreshException located = withError.withRefreshTokenLocation("/srv/gateway/.env");

        // then
        assertThat(withError.invalidGrant()).isFalse();
        assertThat(withError).hasMessage(
                "The authorization server refused the token refresh with HTTP 401 (invalid_client: Unknown client).");
        assertThat(located).isSameAs(withError);
        assertThat(withoutError).hasMessage("The authorization server refused the token refresh with HTTP 503.");
    }

    @Test
    void networkFailureHasNoStatusAndKeepsItsCause() {
        // given
        IOException cause = new IOException("Connection refused");

        // when
        TokenRefreshException failure = TokenRefreshException.network("Cannot reach auth.example", cause);

        // then
        assertThat(failure.status()).isZero();
        assertThat(failure.error()).isNull();
        assertThat(failure.invalidGrant()).isFalse();
        assertThat(failure).hasMessage("Cannot reach auth.example").hasCause(cause);
    }

    @Test
    void longOrMultiLineDescriptionsAreClippedToOneShortLine() {
        // given
        String page = "<html>\n<body>" + "x".repeat(1000) + "</body>\n</html>";

        // when
        TokenRefreshException rejected = TokenRefreshException.rejected(400, "invalid_grant", page);

        // then
        assertThat(rejected.getMessage()).doesNotContain("\n").hasSizeLessThan(500);
        assertThat(rejected.errorDescription()).isEqualTo(page);
    }

    @Test
    void eachCallerGetsItsOwnCopyCausedByTheSharedFailure() {
        // given
        TokenRefreshException shared = TokenRefreshException.rejected(400, "invalid_grant", "expired");

        // when
        TokenRefreshException copy = shared.forCaller();

        // then
        assertThat(copy).isNotSameAs(shared).hasMessage(shared.getMessage()).hasCause(shared);
        assertThat(copy.invalidGrant()).isTrue();
    }
}
