package io.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamGrammarTest {
    private static final String START = frame("message_start", "{'type':'message_start','message':{'id':'msg_1',"
            + "'type':'message','role':'assistant','model':'m','content':[],'stop_reason':null,'stop_sequence':null,"
            + "'usage':{'input_tokens':5,'output_tokens':0}}}");
    private static final String PING = frame("ping", "{'type':'ping'}");
    private static final String MESSAGE_DELTA = frame("message_delta",
            "{'type':'message_delta','delta':{'stop_reason':'end_turn','stop_sequence':null},'usage':{'output_tokens':2}}");
    private static final String STOP = frame("message_stop", "{'type':'message_stop'}");

    /** One SSE frame; single quotes in data become double quotes. */
    private static String frame(String event, String singleQuotedData) {
        return "event: " + event + "\ndata: " + singleQuotedData.replace('\'', '"') + "\n\n";
    }

    private static String textStart(int index) {
        return frame("content_block_start", "{'type':'content_block_start','index':" + index
                + ",'content_block':{'type':'text','text':''}}");
    }

    private static String toolStart(int index) {
        return frame("content_block_start", "{'type':'content_block_start','index':" + index
                + ",'content_block':{'type':'tool_use','id':'toolu_1','name':'f','input':{}}}");
    }

    private static String thinkingStart(int index) {
        return frame("content_block_start", "{'type':'content_block_start','index':" + index
                + ",'content_block':{'type':'thinking','thinking':'','signature':''}}");
    }

    private static String delta(int index, String singleQuotedDelta) {
        return frame("content_block_delta", "{'type':'content_block_delta','index':" + index + ",'delta':"
                + singleQuotedDelta + "}");
    }

    private static String text(int index, String text) {
        return delta(index, "{'type':'text_delta','text':'" + text + "'}");
    }

    private static String json(int index, String partial) {
        return delta(index, "{'type':'input_json_delta','partial_json':'" + partial + "'}");
    }

    private static String blockStop(int index) {
        return frame("content_block_stop", "{'type':'content_block_stop','index':" + index + "}");
    }

    private static final String SIGNATURE = "{'type':'signature_delta','signature':'sig'}";

    private static final String VALID = START + PING
            + thinkingStart(0) + delta(0, "{'type':'thinking_delta','thinking':'hmm'}") + delta(0, SIGNATURE)
            + blockStop(0)
            + textStart(1) + text(1, "Hi") + PING + text(1, "!") + blockStop(1)
            + toolStart(2) + json(2, "{\\'a\\'") + json(2, ":1}") + blockStop(2)
            + MESSAGE_DELTA + STOP;

    @Test
    void aWellFormedStreamPassesAndAccumulatesLikeAClient() {
        // given
        String sse = VALID;

        // when
        List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(sse);
        ObjectNode message = AnthropicStreamGrammar.accumulate(frames);

        // then
        assertThat(frames).hasSize(17);
        assertThat(message.at("/content/0/thinking").asText()).isEqualTo("hmm");
        assertThat(message.at("/content/0/signature").asText()).isEqualTo("sig");
        assertThat(message.at("/content/1/text").asText()).isEqualTo("Hi!");
        assertThat(message.at("/content/2/input/a").asInt()).isEqualTo(1);
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(2);
        assertThat(message.at("/usage/input_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void aStreamEndedByAnErrorPasses() {
        // given
        String sse = START + textStart(0) + text(0, "Hi")
                + frame("error", "{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}");

        // when
        List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(sse);

        // then
        assertThat(frames).last().extracting(AnthropicStreamGrammar.Frame::type).isEqualTo("error");
    }

    @Test
    void aLoneErrorPasses() {
        // given
        String sse = frame("error", "{'type':'error','error':{'type':'api_error','message':'boom'}}");

        // when
        List<AnthropicStreamGrammar.Frame> frames = AnthropicStreamGrammar.check(sse);

        // then
        assertThat(frames).hasSize(1);
    }

    @Test
    void rejectsAFrameWithoutAnEventLine() {
        // given
        String sse = START + "data: {\"type\":\"ping\"}\n\n" + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("frame #1").hasMessageContaining("no event: line");
    }

    @Test
    void rejectsAnEventLineThatDiffersFromTheDataType() {
        // given
        String sse = START + frame("ping", "{'type':'message_stop'}");

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("event line 'ping' but data type 'message_stop'");
    }

    @Test
    void rejectsAStreamThatDoesNotStartWithMessageStart() {
        // given
        String sse = PING + START + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("frame #0 (ping): message_start must come first");
    }

    @Test
    void rejectsASecondMessageStart() {
        // given
        String sse = START + START + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("second message_start");
    }

    @Test
    void rejectsABlockThatDoesNotStartAtIndexZero() {
        // given
        String sse = START + textStart(1) + text(1, "x") + blockStop(1) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("block index 1, expected 0");
    }

    @Test
    void rejectsBlocksOutOfIndexOrder() {
        // given
        String sse = START + textStart(0) + text(0, "x") + blockStop(0) + toolStart(2) + blockStop(2)
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("block index 2, expected 1");
    }

    @Test
    void rejectsTwoOpenBlocks() {
        // given
        String sse = START + textStart(0) + text(0, "x") + toolStart(1) + blockStop(1) + blockStop(0)
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("started while block 0 is still open");
    }

    @Test
    void rejectsADeltaForABlockNeverStarted() {
        // given
        String sse = START + text(0, "x") + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("delta for block 0 which is not open");
    }

    @Test
    void rejectsADeltaForAClosedBlock() {
        // given
        String sse = START + textStart(0) + text(0, "x") + blockStop(0) + text(0, "y") + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("delta for block 0 which is not open");
    }

    @Test
    void rejectsAStopForABlockThatIsNotOpen() {
        // given
        String sse = START + textStart(0) + text(0, "x") + blockStop(1) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("stop for block 1 which is not open (open: 0)");
    }

    @Test
    void rejectsATextDeltaOnAToolUseBlock() {
        // given
        String sse = START + toolStart(0) + text(0, "x") + blockStop(0) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("text_delta on a tool_use block");
    }

    @Test
    void rejectsAnInputJsonDeltaOnATextBlock() {
        // given
        String sse = START + textStart(0) + json(0, "{}") + blockStop(0) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("input_json_delta on a text block");
    }

    @Test
    void rejectsAThinkingDeltaOnATextBlock() {
        // given
        String sse = START + textStart(0) + delta(0, "{'type':'thinking_delta','thinking':'x'}") + blockStop(0)
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("thinking_delta on a text block");
    }

    @Test
    void rejectsASignatureDeltaOnAToolUseBlock() {
        // given
        String sse = START + toolStart(0) + delta(0, SIGNATURE) + blockStop(0) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("signature_delta on a tool_use block");
    }

    @Test
    void rejectsAnEmptyTextBlock() {
        // given
        String sse = START + textStart(0) + text(0, "") + blockStop(0) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("empty text block 0");
    }

    @Test
    void rejectsAThinkingBlockWithoutSignature() {
        // given
        String sse = START + thinkingStart(0) + delta(0, "{'type':'thinking_delta','thinking':'x'}") + blockStop(0)
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("closed without a signature_delta");
    }

    @Test
    void rejectsThinkingAfterTheSignature() {
        // given
        String sse = START + thinkingStart(0) + delta(0, SIGNATURE)
                + delta(0, "{'type':'thinking_delta','thinking':'x'}") + blockStop(0) + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("thinking_delta after the signature_delta");
    }

    @Test
    void rejectsAnUnknownBlockType() {
        // given
        String sse = START + frame("content_block_start",
                "{'type':'content_block_start','index':0,'content_block':{'type':'image'}}") + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("unknown content block type image");
    }

    @Test
    void rejectsAToolUseBlockWithoutId() {
        // given
        String sse = START + frame("content_block_start", "{'type':'content_block_start','index':0,"
                + "'content_block':{'type':'tool_use','id':'','name':'f','input':{}}}") + blockStop(0)
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("tool_use block needs id, name and input");
    }

    @Test
    void rejectsMessageDeltaWhileABlockIsOpen() {
        // given
        String sse = START + textStart(0) + text(0, "x") + MESSAGE_DELTA + blockStop(0) + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("message_delta while block 0 is open");
    }

    @Test
    void rejectsMessageDeltaWithoutOutputTokens() {
        // given
        String sse = START + frame("message_delta",
                "{'type':'message_delta','delta':{'stop_reason':'end_turn','stop_sequence':null},'usage':{}}") + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("without integer usage.output_tokens");
    }

    @Test
    void rejectsMessageDeltaWithoutStopReason() {
        // given
        String sse = START + frame("message_delta", "{'type':'message_delta','delta':{},'usage':{'output_tokens':1}}")
                + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("without delta.stop_reason");
    }

    @Test
    void rejectsMessageStopWithoutMessageDelta() {
        // given
        String sse = START + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("message_stop without a message_delta");
    }

    @Test
    void rejectsABlockAfterMessageDelta() {
        // given
        String sse = START + MESSAGE_DELTA + textStart(0) + text(0, "x") + blockStop(0) + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("block started after message_delta");
    }

    @Test
    void rejectsAnythingAfterMessageStop() {
        // given
        String sse = START + MESSAGE_DELTA + STOP + PING;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("after the stream ended with message_stop");
    }

    @Test
    void rejectsAnythingAfterAnError() {
        // given
        String sse = START + frame("error", "{'type':'error','error':{'type':'api_error','message':'x'}}")
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("after the stream ended with error");
    }

    @Test
    void rejectsAStreamThatStopsWithoutMessageStop() {
        // given
        String sse = START + textStart(0) + text(0, "x");

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class)
                .hasMessage("stream ended without message_stop or error (block 0 still open)");
    }

    @Test
    void rejectsAnEmptyStream() {
        // given
        String sse = "";

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("empty stream");
    }

    @Test
    void rejectsAnUnknownEventType() {
        // given
        String sse = START + frame("content_block_pause", "{'type':'content_block_pause'}") + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("unknown event type content_block_pause");
    }

    @Test
    void rejectsDataThatIsNotJson() {
        // given
        String sse = START + "event: ping\ndata: {not json\n\n";

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("data is not JSON");
    }

    @Test
    void rejectsAMessageStartWithContent() {
        // given
        String sse = frame("message_start", "{'type':'message_start','message':{'id':'msg_1','type':'message',"
                + "'role':'assistant','model':'m','content':[{'type':'text','text':'x'}],'usage':{'input_tokens':1}}}")
                + MESSAGE_DELTA + STOP;

        // when / then
        assertThatThrownBy(() -> AnthropicStreamGrammar.check(sse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("message content must be []");
    }
}
