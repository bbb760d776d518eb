package io.llmgateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.upstream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiStreamRelayTest {
    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream failingAfter(String text, IOException failure) {
        return new SequenceInputStream(bytes(text), new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        });
    }

    /** Records what was written and how many flushes happened. */
    private static final class RecordingOutput extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void eventsAreRelayedOneFlushEachUntilDone() throws Exception {
        // given
        RecordingOutput out = new RecordingOutput();
        OpenAiStreamRelay relay = new OpenAiStreamRelay(new SseReader(bytes(
                "data: {\"a\":1}\n\n: keep-alive comment\n\ndata: {\"b\":\"\u2028\"}\r\n\r\ndata: [DONE]\n\n")), out);

        // when
        OpenAiStreamRelay.State state = relay.run();

        // then
        assertThat(state).isEqualTo(OpenAiStreamRelay.State.DONE);
        assertThat(out.text()).isEqualTo("data: {\"a\":1}\n\ndata: {\"b\":\"\u2028\"}\n\ndata: [DONE]\n\n");
        assertThat(out.flushes).isEqualTo(3);
        assertThat(relay.events()).isEqualTo(3);
    }

    @Test
    void anUpstreamThatEndsWithoutDoneEndsTheRelay() throws Exception {
        // given
        RecordingOutput out = new RecordingOutput();

        // when
        OpenAiStreamRelay.State state = new OpenAiStreamRelay(new SseReader(bytes("data: {\"a\":1}\n\n")), out).run();

        // then
        assertThat(state).isEqualTo(OpenAiStreamRelay.State.ENDED);
        assertThat(out.text()).isEqualTo("data: {\"a\":1}\n\n");
    }

    @Test
    void anUpstreamFailureMidStreamBecomesAnInStreamErrorEvent() throws Exception {
        // given
        RecordingOutput out = new RecordingOutput();
        InputStream upstream = failingAfter("data: {\"a\":1}\n\n", new IOException("Premature end of chunk"));

        // when
        OpenAiStreamRelay.State state = new OpenAiStreamRelay(new SseReader(upstream), out).run();

        // then
        assertThat(state).isEqualTo(OpenAiStreamRelay.State.FAILED);
        assertThat(out.text()).startsWith("data: {\"a\":1}\n\ndata: {\"error\":{\"message\":\"The upstream connection "
                + "failed mid-stream: Premature end of chunk\",\"type\":\"upstream_error\",\"param\":null,"
                + "\"code\":\"upstream_stream_error\"}}\n\n");
    }

    @Test
    void anUpstreamSilentPastTheReadTimeoutBecomesATimeoutErrorEvent() throws Exception {
        // given
        RecordingOutput out = new RecordingOutput();
        InputStream upstream = failingAfter("", new SocketTimeoutException("Read timed out"));

        // when
        OpenAiStreamRelay.State state = new OpenAiStreamRelay(new SseReader(upstream), out).run();

        // then
        assertThat(state).isEqualTo(OpenAiStreamRelay.State.FAILED);
        assertThat(out.text()).contains("LLM_REQUEST_TIMEOUT").contains("\"code\":\"upstream_timeout\"");
    }

    @Test
    void aClientThatGoesAwaySurfacesSoTheCallerCanAbortTheUpstream() {
        // given
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        OpenAiStreamRelay relay = new OpenAiStreamRelay(new SseReader(bytes("data: {}\n\n")), gone);

        // when / then
        assertThatThrownBy(relay::run).isInstanceOf(OpenAiStreamRelay.ClientGoneException.class);
    }
}
