package io.llmgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientStreamTest {
    /** A servlet output whose readiness the test controls, recording writes and flushes in order. */
    private static final class FakeOutput extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final List<String> calls = new ArrayList<>();
        boolean ready = true;
        IOException failure;
        WriteListener listener;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            listener = writeListener;
        }

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            if (failure != null) {
                throw failure;
            }
            written.writeBytes(b);
            calls.add("write " + new String(b, StandardCharsets.UTF_8).strip());
        }

        @Override
        public void flush() {
            calls.add("flush");
        }
    }

    private final FakeOutput out = new FakeOutput();
    private final AsyncContext context = mock(AsyncContext.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final AtomicInteger drained = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger completions = new AtomicInteger();

    private ClientStream newStream() {
        when(context.getResponse()).thenReturn(response);
        doAnswer(invocation -> completions.incrementAndGet()).when(context).complete();
        return new ClientStream(context, drained::incrementAndGet, gone::incrementAndGet, closed::incrementAndGet);
    }

    private ClientStream openStream() throws IOException {
        when(response.getOutputStream()).thenReturn(out);
        ClientStream stream = newStream();
        stream.open(Map.of("x-request-id", "req_1"));
        return stream;
    }

    private static byte[] frame(String text) {
        return (text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givenAReadyClientWhenFramesAreSentThenEachIsWrittenAndFlushedOnItsOwnInOrder() throws Exception {
        // given
        ClientStream stream = openStream();

        // when
        stream.send(frame("data: 1"));
        stream.send(frame("data: 2"));
        stream.finish();

        // then
        assertThat(out.calls).containsExactly("write data: 1", "flush", "write data: 2", "flush");
        assertThat(stream.state()).isEqualTo(ClientStream.State.CLOSED);
        assertThat(completions).hasValue(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void givenAClientThatCannotTakeMoreWhenFramesAreSentThenTheyWaitForWritePossible() throws Exception {
        // given
        ClientStream stream = openStream();
        out.ready = false;

        // when
        stream.send(frame("data: 1"));
        stream.finish();

        // then nothing is written until the container says the connection can take more
        assertThat(out.calls).isEmpty();
        assertThat(stream.state()).isEqualTo(ClientStream.State.FINISHING);
        out.ready = true;
        out.listener.onWritePossible();
        assertThat(out.calls).containsExactly("write data: 1", "flush");
        assertThat(stream.state()).isEqualTo(ClientStream.State.CLOSED);
    }

    @Test
    void givenASlowClientWhenMoreThanTheHighWaterIsQueuedThenItReportsCongestionUntilDrained() throws Exception {
        // given
        ClientStream stream = openStream();
        out.ready = false;
        byte[] big = new byte[ClientStream.HIGH_WATER / 2];

        // when
        boolean first = stream.send(big);
        boolean second = stream.send(big);
        boolean third = stream.send(big);

        // then
        assertThat(List.of(first, second, third)).containsExactly(false, false, true);
        assertThat(drained).hasValue(0);
        out.ready = true;
        out.listener.onWritePossible();
        assertThat(drained).hasValue(1);
        assertThat(out.written.size()).isEqualTo(3 * big.length);
    }

    @Test
    void givenAClientThatLeftWhenAWriteFailsThenTheUpstreamIsCancelledAndTheResponseEnds() throws Exception {
        // given
        ClientStream stream = openStream();
        out.failure = new IOException("Broken pipe");

        // when
        stream.send(frame("data: 1"));
        boolean afterwards = stream.send(frame("data: 2"));

        // then
        assertThat(gone).hasValue(1);
        assertThat(stream.state()).isEqualTo(ClientStream.State.GONE);
        assertThat(afterwards).isFalse();
        assertThat(completions).hasValue(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void givenAnOpenStreamWhenTheContainerReportsAnErrorThenTheUpstreamIsCancelledOnce() throws Exception {
        // given
        ClientStream stream = openStream();

        // when
        stream.onError(new IOException("reset"));
        stream.onError(new IOException("reset again"));
        stream.finish();

        // then
        assertThat(gone).hasValue(1);
        assertThat(completions).hasValue(1);
        assertThat(stream.state()).isEqualTo(ClientStream.State.GONE);
    }

    @Test
    void givenANewStreamThenItRegistersWithTheRequestBeforeAnythingIsCommitted() {
        // when the resource method creates it, while the request's dispatch lasts
        ClientStream stream = newStream();

        // then
        verify(context).setTimeout(0);
        verify(context).addListener(stream);
        verifyNoInteractions(response);
    }

    @Test
    void givenAStreamWhenOpenedThenTheStatusAndEdgeHeadersAreSetBeforeWriting() throws Exception {
        // when
        openStream();

        // then
        verify(response).setStatus(200);
        verify(response).setHeader("x-request-id", "req_1");
        assertThat(out.listener).isNotNull();
    }

    @Test
    void givenAClientThatLeftBeforeTheUpstreamAnsweredWhenOpeningThenNothingIsCommitted() throws Exception {
        // given
        ClientStream stream = newStream();
        stream.onError(new IOException("reset"));

        // when
        boolean opened = stream.open(Map.of());

        // then
        assertThat(opened).isFalse();
        assertThat(stream.state()).isEqualTo(ClientStream.State.GONE);
        verify(response, never()).setStatus(200);
        assertThat(completions).hasValue(1);
    }

    @Test
    void givenAnOpenStreamWhenTheRelayAbortsThenTheUpstreamIsCancelledAndTheResponseEnds() throws Exception {
        // given
        ClientStream stream = openStream();
        stream.send(frame("data: 1"));

        // when
        stream.abort(new IllegalStateException("relay broke"));

        // then
        assertThat(gone).hasValue(1);
        assertThat(completions).hasValue(1);
        assertThat(stream.state()).isEqualTo(ClientStream.State.GONE);
    }
}
