package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    @Test
    void dataOnlyEventIsOneDataLineAndBlankLine() {
        // given
        String data = "{\"a\":1}";

        // when
        byte[] frame = SseFrames.encode(null, data);

        // then
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: {\"a\":1}\n\n");
    }

    @Test
    void namedEventStartsWithEventLine() {
        // given
        String event = "message_start";

        // when
        byte[] frame = SseFrames.encode(event, "{}");

        // then
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("event: message_start\ndata: {}\n\n");
    }

    @Test
    void everyKindOfLineBreakStartsANewDataLine() {
        // given
        String data = "a\nb\r\nc\rd\n";

        // when
        byte[] frame = SseFrames.encode(null, data);

        // then
        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n");
    }

    @Test
    void emptyDataIsStillAnEvent() {
        // given
        String data = "";

        // when
        byte[] frame = SseFrames.encode(null, data);

        // then
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: \n\n");
    }

    @Test
    void eventNameWithLineBreakIsRejected() {
        // given
        String event = "evil\ndata: injected";

        // when / then
        assertThatThrownBy(() -> SseFrames.encode(event, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodedEventsReadBackUnchanged() throws IOException {
        // given
        List<SseEvent> sent = List.of(
                new SseEvent("content_block_delta", "{\"text\":\"żółw \uD83D\uDC22 a\u2028b\"}", null),
                new SseEvent(null, "line one\nline two\n\nline four", null),
                new SseEvent(null, " leading space", null),
                new SseEvent(null, "", null),
                new SseEvent(null, "[DONE]", null));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(SseFrames.KEEP_ALIVE.getBytes(StandardCharsets.UTF_8));
        for (SseEvent e : sent) {
            wire.write(SseFrames.encode(e.event(), e.data()));
        }

        // when
        List<SseEvent> received = SseReaderTest.readAll(new ByteArrayInputStream(wire.toByteArray()));

        // then
        assertThat(received).isEqualTo(sent);
    }
}
