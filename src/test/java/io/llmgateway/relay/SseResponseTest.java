package io.llmgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** A stream's response ends exactly once, with the dialect's error when the upstream fails before answering. */
class SseResponseTest {
    private final RequestFacts facts = new RequestFacts("req_1");
    private final AsyncContext context = mock(AsyncContext.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final StreamDialect dialect = mock(StreamDialect.class);
    private final UpstreamStream upstream = mock(UpstreamStream.class);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AtomicInteger completions = new AtomicInteger();

    private SseResponse newResponse() throws IOException {
        when(context.getResponse()).thenReturn(response);
        doAnswer(invocation -> completions.incrementAndGet()).when(context).complete();
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                // writes are always possible here
            }

            @Override
            public void write(int b) {
                written.write(b);
            }
        });
        when(upstream.latency()).thenReturn(Duration.ofMillis(3));
        when(dialect.errorResponse(any())).thenReturn(Response.status(502).type("application/json")
                .entity("{\"error\":\"down\"}").build());
        return new SseResponse(context, facts, dialect, null, Duration.ZERO);
    }

    /** What the container does when it notices the client has gone. */
    private void containerReportsClientGone() {
        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(context).addListener(listener.capture());
        ((ClientStream) listener.getValue()).onError(new IOException("reset"));
    }

    @Test
    void givenAClientThatLeftBeforeTheAnswerWhenTheUpstreamFailsThenNothingIsWrittenAndTheResponseEndsOnce()
            throws Exception {
        // given
        SseResponse sse = newResponse();
        containerReportsClientGone();

        // when
        sse.onFailure(UpstreamException.unreachable("down", new IOException("down")));

        // then
        verify(response, never()).setStatus(anyInt());
        assertThat(written.size()).isZero();
        assertThat(completions).hasValue(1);
    }

    @Test
    void givenAClientThatLeftBeforeTheAnswerWhenTheUpstreamAnswersThenItIsCancelledAndNothingIsCommitted()
            throws Exception {
        // given
        SseResponse sse = newResponse();
        containerReportsClientGone();

        // when
        sse.onOpen(upstream);

        // then
        verify(upstream).cancel();
        verify(response, never()).setStatus(200);
        assertThat(completions).hasValue(1);
    }

    @Test
    void givenAFailureBeforeTheAnswerWhenTheClientLeavesAfterwardsThenTheDialectsErrorWasWrittenAndTheResponseEndedOnce()
            throws Exception {
        // given
        SseResponse sse = newResponse();
        sse.onFailure(UpstreamException.unreachable("down", new IOException("down")));

        // when
        containerReportsClientGone();

        // then
        verify(response).setStatus(502);
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"down\"}");
        assertThat(completions).hasValue(1);
    }

    @Test
    void givenAnUpstreamThatAnswersWhenTheStreamOpensThenItCommits200AndRecordsTheUpstreamLatency() throws Exception {
        // given
        SseResponse sse = newResponse();

        // when
        sse.onOpen(upstream);

        // then
        verify(response).setStatus(200);
        verify(response).setHeader("Content-Type", "text/event-stream; charset=utf-8");
        assertThat(facts.upstreamMillis()).isEqualTo(3);
        assertThat(completions).hasValue(0);
    }
}
