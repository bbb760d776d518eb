package io.llmgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The edge's end of a stream (access log, key permit, in-flight count) happens exactly once, however it ends. */
class SseResponseTest {
    private final AsyncResponse async = mock(AsyncResponse.class);
    private final ContainerRequestContext request = mock(ContainerRequestContext.class);
    private final HttpServletRequest servlet = mock(HttpServletRequest.class);
    private final AsyncContext context = mock(AsyncContext.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final StreamDialect dialect = mock(StreamDialect.class);
    private final UpstreamStream upstream = mock(UpstreamStream.class);
    private final List<Integer> finished = new ArrayList<>();

    private SseResponse newResponse() {
        EdgeHooks edge = mock(EdgeHooks.class);
        when(edge.headers(any())).thenReturn(Map.of());
        when(edge.finisher(any())).thenReturn(finished::add);
        when(request.getProperty(EdgeHooks.PROPERTY)).thenReturn(edge);
        when(servlet.getAsyncContext()).thenReturn(context);
        when(context.getResponse()).thenReturn(response);
        when(upstream.latency()).thenReturn(Duration.ofMillis(3));
        when(dialect.errorResponse(any())).thenReturn(Response.status(502).build());
        return new SseResponse(async, request, servlet, dialect, null, Duration.ZERO);
    }

    /** What the container does when it notices the client has gone. */
    private void containerReportsClientGone() throws IOException {
        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(context).addListener(listener.capture());
        ((ClientStream) listener.getValue()).onError(new IOException("reset"));
    }

    @Test
    void givenAClientThatLeftBeforeTheAnswerWhenTheUpstreamFailsThenTheRequestIsFinishedOnceAndNothingIsWritten()
            throws Exception {
        // given
        SseResponse sse = newResponse();
        containerReportsClientGone();

        // when
        sse.onFailure(UpstreamException.unreachable("down", new IOException("down")));

        // then
        verify(async, never()).resume(any(Object.class));
        assertThat(finished).containsExactly(200);
    }

    @Test
    void givenAClientThatLeftBeforeTheAnswerWhenTheUpstreamAnswersThenItIsCancelledAndTheRequestFinishedOnce()
            throws Exception {
        // given
        SseResponse sse = newResponse();
        containerReportsClientGone();

        // when
        sse.onOpen(upstream);

        // then
        verify(upstream).cancel();
        verify(response, never()).setStatus(200);
        assertThat(finished).containsExactly(200);
    }

    @Test
    void givenAFailureBeforeTheAnswerWhenTheClientLeavesAfterwardsThenJerseyAloneFinishesTheRequest() throws Exception {
        // given
        SseResponse sse = newResponse();
        sse.onFailure(UpstreamException.unreachable("down", new IOException("down")));

        // when
        containerReportsClientGone();

        // then the error response goes through Jersey, whose filters finish the request
        verify(async).resume(any(Object.class));
        assertThat(finished).isEmpty();
    }
}
