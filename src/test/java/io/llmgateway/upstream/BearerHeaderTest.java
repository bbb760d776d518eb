package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hc.core5.http.FormattedHeader;
import org.apache.hc.core5.http.Header;
import org.junit.jupiter.api.Test;

class BearerHeaderTest {
    private final BearerHeader bearers = new BearerHeader();

    @Test
    void oneTokenIsFormattedOnceForAllItsRequests() {
        // given
        String token = "x".repeat(2_000); // the size of an OAuth access token (a JWT)

        // when
        Header first = bearers.of(token);
        Header second = bearers.of(new String(token.toCharArray()));

        // then: pre-formatted, so Apache writes its line as it is instead of into the connection's line buffer
        assertThat(second).isSameAs(first).isInstanceOf(FormattedHeader.class);
        assertThat(first.getName()).isEqualTo("Authorization");
        assertThat(first.getValue()).isEqualTo("Bearer " + token);
    }

    @Test
    void aRotatedTokenGetsAHeaderOfItsOwn() {
        // given
        Header before = bearers.of("at-1");

        // when
        Header after = bearers.of("at-2");

        // then
        assertThat(after.getValue()).isEqualTo("Bearer at-2");
        assertThat(before.getValue()).isEqualTo("Bearer at-1");
    }
}
