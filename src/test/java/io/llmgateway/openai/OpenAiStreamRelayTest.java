package io.llmgateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamRelayTest {
    private final List<String> frames = new ArrayList<>();

    private void out(byte[] frame) {
        frames.add(new String(frame, StandardCharsets.UTF_8));
    }

    private static SseEvent data(String data) {
        return new SseEvent(null, data, null);
    }

    @Test
    void givenEventsUntilDoneWhenRelayedThenEachIsOneFrameAndDoneCompletesTheStream() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();
        relay.open(this::out);

        // when
        boolean afterFirst = relay.onEvent(data("{\"a\":1}"), this::out);
        boolean afterSecond = relay.onEvent(data("{\"b\":\"\u2028\"}"), this::out);
        boolean afterDone = relay.onEvent(data("[DONE]"), this::out);

        // then
        assertThat(List.of(afterFirst, afterSecond, afterDone)).containsExactly(false, false, true);
        assertThat(relay.state()).isEqualTo(OpenAiStreamRelay.State.DONE);
        assertThat(frames).containsExactly("data: {\"a\":1}\n\n", "data: {\"b\":\"\u2028\"}\n\n", "data: [DONE]\n\n");
        assertThat(relay.events()).isEqualTo(3);
    }

    @Test
    void givenANamedMultiLineEventWhenRelayedThenItsNameAndLinesAreKept() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();

        // when
        relay.onEvent(new SseEvent("delta", "line one\nline two", null), this::out);

        // then
        assertThat(frames).containsExactly("event: delta\ndata: line one\ndata: line two\n\n");
    }

    @Test
    void givenAnUpstreamThatEndsWithoutDoneWhenItEndsThenTheRelayEndsWithoutAnExtraFrame() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();
        relay.onEvent(data("{\"a\":1}"), this::out);

        // when
        relay.onEnd(this::out);

        // then
        assertThat(relay.state()).isEqualTo(OpenAiStreamRelay.State.ENDED);
        assertThat(frames).containsExactly("data: {\"a\":1}\n\n");
    }

    @Test
    void givenAStreamThatBreaksWhenTheFailureArrivesThenItBecomesAnInStreamErrorEvent() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();
        relay.onEvent(data("{\"a\":1}"), this::out);

        // when
        relay.onFailure(UpstreamException.unreachable("Premature end of chunk", null), this::out);

        // then
        assertThat(relay.state()).isEqualTo(OpenAiStreamRelay.State.FAILED);
        assertThat(frames).containsExactly("data: {\"a\":1}\n\n", "data: {\"error\":{\"message\":\"The upstream "
                + "connection failed mid-stream: Premature end of chunk\",\"type\":\"upstream_error\",\"param\":null,"
                + "\"code\":\"upstream_stream_error\"}}\n\n");
    }

    @Test
    void givenAnUpstreamSilentPastTheReadTimeoutWhenItTimesOutThenATimeoutErrorEventIsSent() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();

        // when
        relay.onFailure(UpstreamException.timeout("silent", null), this::out);

        // then
        assertThat(relay.state()).isEqualTo(OpenAiStreamRelay.State.FAILED);
        assertThat(frames).singleElement().asString().contains("LLM_REQUEST_TIMEOUT").contains("\"code\":\"upstream_timeout\"");
    }

    @Test
    void givenAFinishedStreamWhenMoreArrivesThenNothingMoreIsSent() {
        // given
        OpenAiStreamRelay relay = new OpenAiStreamRelay();
        relay.onEvent(data("[DONE]"), this::out);

        // when
        boolean complete = relay.onEvent(data("{\"late\":true}"), this::out);
        relay.onFailure(UpstreamException.unreachable("reset", null), this::out);

        // then
        assertThat(complete).isTrue();
        assertThat(frames).containsExactly("data: [DONE]\n\n");
    }
}
