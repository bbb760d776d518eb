package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.junit.jupiter.api.Test;

class SentOnceBodyTest {
    /** A channel that takes at most {@code perWrite} bytes a write, as a socket with a full buffer does. */
    private static final class SlowChannel implements DataStreamChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final int perWrite;
        int ends;

        SlowChannel(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public void requestOutput() {
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            byte[] chunk = new byte[n];
            src.get(chunk);
            written.writeBytes(chunk);
            return n;
        }

        @Override
        public void endStream(List<? extends Header> trailers) {
            ends++;
        }

        @Override
        public void endStream() {
            ends++;
        }
    }

    @Test
    void givenASocketThatTakesAFewBytesAtATimeWhenProducedThenTheWholeBodyGoesOutAndTheStreamEndsOnce() throws Exception {
        // given
        byte[] json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        SentOnceBody body = new SentOnceBody(json);
        SlowChannel channel = new SlowChannel(7);

        // when
        int calls = 0;
        while (body.available() > 0) {
            body.produce(channel);
            calls++;
        }
        body.produce(channel); // a late call after the end writes nothing

        // then
        assertThat(channel.written.toByteArray()).isEqualTo(json);
        assertThat(channel.ends).isEqualTo(1);
        assertThat(calls).isEqualTo((json.length + 6) / 7);
        assertThat(body.getContentLength()).isEqualTo(json.length);
        assertThat(body.getContentType()).startsWith("application/json");
    }

    @Test
    void givenAFailedExchangeWhenAskedAgainThenNothingIsLeftToSend() throws Exception {
        // given
        SentOnceBody body = new SentOnceBody("{}".getBytes(StandardCharsets.UTF_8));

        // when
        body.failed(new java.io.IOException("connection reset"));

        // then
        assertThat(body.available()).isZero();
        assertThat(body.isRepeatable()).isFalse();
    }
}
