package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.testing.AnthropicStreamGrammar;
import io.llmgateway.testing.AnthropicStreamGrammar.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicStreamTranslatorTest {
    private static final String MESSAGE_ID = "msg_01StreamTest";
    private static final String MODEL = "claude-sonnet-4-5";
    private static final int ESTIMATED_INPUT = 42;

    private static AnthropicStreamTranslator translator() {
        return translator(new ToolNames(), List.of());
    }

    private static AnthropicStreamTranslator translator(ToolNames toolNames, List<String> stopSequences) {
        return new AnthropicStreamTranslator(MESSAGE_ID, MODEL, ESTIMATED_INPUT, toolNames, stopSequences);
    }

    /** JSON with single quotes for readability. */
    private static JsonNode json(String singleQuoted) {
        try {
            return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A chat.completion.chunk with one choice. */
    private static JsonNode chunk(String delta, String finishReason) {
        return json("{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1,'model':'up',"
                + "'choices':[{'index':0,'delta':" + delta + ",'finish_reason':"
                + (finishReason == null ? "null" : "'" + finishReason + "'") + "}]}");
    }

    private static JsonNode chunk(String delta) {
        return chunk(delta, null);
    }

    /** A chunk with one tool-call delta. */
    private static JsonNode tool(String toolCall) {
        return chunk("{'tool_calls':[" + toolCall + "]}");
    }

    /** The chunks of src/test/resources/anthropic/stream-{name}.jsonl, up to {@code [DONE]}. */
    private static List<JsonNode> recorded(String name) {
        String resource = "/anthropic/stream-" + name + ".jsonl";
        try (InputStream in = AnthropicStreamTranslatorTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            List<JsonNode> chunks = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.strip().equals("[DONE]")) {
                    break;
                }
                if (!line.isBlank()) {
                    chunks.add(Json.MAPPER.readTree(line));
                }
            }
            return chunks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A whole stream: start, every chunk, end. */
    private static List<AnthropicStreamEvent> run(AnthropicStreamTranslator translator, List<JsonNode> chunks) {
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());
        for (JsonNode chunk : chunks) {
            events.addAll(translator.onChunk(chunk));
        }
        events.addAll(translator.onEnd());
        return events;
    }

    private static List<AnthropicStreamEvent> run(List<JsonNode> chunks) {
        return run(translator(), chunks);
    }

    /** The events as the client receives them, checked against the Anthropic stream grammar. */
    private static List<Frame> checked(List<AnthropicStreamEvent> events) {
        ByteArrayOutputStream sse = new ByteArrayOutputStream();
        for (AnthropicStreamEvent event : events) {
            sse.writeBytes(event.toSse());
        }
        return AnthropicStreamGrammar.check(sse.toString(StandardCharsets.UTF_8));
    }

    /** The message a client assembles from the checked stream. */
    private static ObjectNode message(List<AnthropicStreamEvent> events) {
        return AnthropicStreamGrammar.accumulate(checked(events));
    }

    /** A compact trace: event types, with the block type for starts and the delta type for deltas. */
    private static List<String> trace(List<AnthropicStreamEvent> events) {
        return checked(events).stream().map(frame -> switch (frame.type()) {
            case "content_block_start" -> "start " + frame.data().at("/content_block/type").asText()
                    + " " + frame.data().get("index").asInt();
            case "content_block_delta" -> frame.data().at("/delta/type").asText();
            case "content_block_stop" -> "stop " + frame.data().get("index").asInt();
            default -> frame.type();
        }).toList();
    }

    private static JsonNode messageDelta(List<AnthropicStreamEvent> events) {
        return events.stream().filter(event -> event.type().equals("message_delta")).findFirst().orElseThrow().data();
    }

    @Test
    void startSendsMessageStartWithTheEstimatedInputTokensAndOnePing() {
        // given
        AnthropicStreamTranslator translator = translator();

        // when
        List<AnthropicStreamEvent> events = translator.start();

        // then
        assertThat(events).extracting(AnthropicStreamEvent::type).containsExactly("message_start", "ping");
        assertThat(events.get(0).data().toString()).isEqualTo(json("{'type':'message_start','message':{"
                + "'id':'msg_01StreamTest','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
                + "'content':[],'stop_reason':null,'stop_sequence':null,'usage':{'input_tokens':42,'output_tokens':0,"
                + "'cache_creation_input_tokens':0,'cache_read_input_tokens':0}}}").toString());
        assertThat(translator.state()).isEqualTo(AnthropicStreamTranslator.State.IN_MESSAGE);
        assertThat(translator.start()).isEmpty();
    }

    @Test
    void everyFrameCarriesItsEventLineAndTheSameTypeInItsData() {
        // given
        AnthropicStreamTranslator translator = translator();

        // when
        byte[] frame = translator.ping().toSse();

        // then
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    }

    @Test
    void roleOnlyFirstChunkOpensNoBlock() {
        // given
        AnthropicStreamTranslator translator = translator();
        translator.start();

        // when
        List<AnthropicStreamEvent> events = translator.onChunk(chunk("{'role':'assistant','content':''}"));

        // then
        assertThat(events).isEmpty();
        assertThat(translator.state()).isEqualTo(AnthropicStreamTranslator.State.IN_MESSAGE);
    }

    @Test
    void emptyDeltasNeverOpenAnEmptyTextBlock() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'role':'assistant','content':''}"), chunk("{'content':''}"),
                chunk("{}"), chunk("{'content':null}"), chunk("{'content':[]}"), chunk("{}", "stop"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "message_delta", "message_stop");
        assertThat(message(events).get("content")).isEmpty();
    }

    @Test
    void textThenToolCallFromARecordedStreamBecomesATextAndAToolUseBlock() {
        // given
        List<JsonNode> chunks = recorded("text-then-tools");

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping",
                "start text 0", "text_delta", "text_delta", "stop 0",
                "start tool_use 1", "input_json_delta", "input_json_delta", "input_json_delta", "stop 1",
                "message_delta", "message_stop");
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo(json("[{'type':'text','text':'Let me check the weather.'},"
                + "{'type':'tool_use','id':'call_Wx7Kp2','name':'get_weather','input':{'city':'Paris'}}]").toString());
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void severalToolCallsInOneChunkBecomeConsecutiveToolUseBlocks() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'role':'assistant','tool_calls':["
                + "{'index':0,'id':'call_a','type':'function','function':{'name':'read','arguments':'{\\'path\\':\\'a.txt\\'}'}},"
                + "{'index':1,'id':'call_b','type':'function','function':{'name':'read','arguments':'{\\'path\\':\\'b.txt\\'}'}}]}",
                "tool_calls"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping",
                "start tool_use 0", "input_json_delta", "stop 0", "start tool_use 1", "input_json_delta", "stop 1",
                "message_delta", "message_stop");
        ObjectNode message = message(events);
        assertThat(message.at("/content/0/id").asText()).isEqualTo("call_a");
        assertThat(message.at("/content/0/input/path").asText()).isEqualTo("a.txt");
        assertThat(message.at("/content/1/id").asText()).isEqualTo("call_b");
        assertThat(message.at("/content/1/input/path").asText()).isEqualTo("b.txt");
    }

    @Test
    void interleavedArgumentsOfParallelCallsAreSerialisedIntoWholeBlocks() {
        // given
        List<JsonNode> chunks = recorded("parallel-interleaved");

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping",
                "start tool_use 0", "input_json_delta", "input_json_delta", "stop 0",
                "start tool_use 1", "input_json_delta", "input_json_delta", "stop 1",
                "message_delta", "message_stop");
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo(json("["
                + "{'type':'tool_use','id':'call_0aa','name':'get_weather','input':{'city':'Paris'}},"
                + "{'type':'tool_use','id':'call_1bb','name':'get_time','input':{'tz':'CET'}}]").toString());
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aSecondCallIsHeldBackWhileTheFirstCallsArgumentsAreIncomplete() {
        // given
        AnthropicStreamTranslator translator = translator();
        translator.start();
        translator.onChunk(tool("{'index':0,'id':'call_0','function':{'name':'a','arguments':'{\\'x\\':'}}"));

        // when
        List<AnthropicStreamEvent> whileIncomplete =
                translator.onChunk(tool("{'index':1,'id':'call_1','function':{'name':'b','arguments':'{}'}}"));
        List<AnthropicStreamEvent> onCompletion =
                translator.onChunk(tool("{'index':0,'function':{'arguments':'1}'}}"));

        // then
        assertThat(whileIncomplete).isEmpty();
        assertThat(onCompletion).extracting(AnthropicStreamEvent::type).containsExactly("content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta");
        assertThat(translator.state()).isEqualTo(AnthropicStreamTranslator.State.IN_TOOL);
    }

    @Test
    void idAndNameInSeparateChunksOpenTheBlockOnlyOnceBothAreKnown() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());

        // when
        List<AnthropicStreamEvent> afterName = translator.onChunk(tool("{'index':0,'type':'function','function':{'name':'lookup'}}"));
        List<AnthropicStreamEvent> afterArguments = translator.onChunk(tool("{'index':0,'function':{'arguments':'{\\'k\\':'}}"));
        List<AnthropicStreamEvent> afterId = translator.onChunk(tool("{'index':0,'id':'call_late'}"));
        events.addAll(afterName);
        events.addAll(afterArguments);
        events.addAll(afterId);
        events.addAll(translator.onChunk(tool("{'index':0,'function':{'arguments':'2}'}}")));
        events.addAll(translator.onEnd());

        // then
        assertThat(afterName).isEmpty();
        assertThat(afterArguments).isEmpty();
        assertThat(afterId).extracting(AnthropicStreamEvent::type).containsExactly("content_block_start", "content_block_delta");
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo(
                json("[{'type':'tool_use','id':'call_late','name':'lookup','input':{'k':2}}]").toString());
    }

    @Test
    void idBeforeNameAlsoWaitsForTheName() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_first'}"),
                tool("{'index':0,'function':{'name':'f','arguments':''}}"),
                tool("{'index':0,'function':{'arguments':'{}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.at("/content/0/id").asText()).isEqualTo("call_first");
        assertThat(message.at("/content/0/name").asText()).isEqualTo("f");
    }

    @Test
    void nameIdAndArgumentsInOneChunkOpenAndFillTheBlockAtOnce() {
        // given
        AnthropicStreamTranslator translator = translator();
        translator.start();

        // when
        List<AnthropicStreamEvent> events = translator.onChunk(tool(
                "{'index':0,'id':'call_one','type':'function','function':{'name':'f','arguments':'{\\'a\\':[1,2]}'}}"));

        // then
        assertThat(events).extracting(AnthropicStreamEvent::type).containsExactly("content_block_start", "content_block_delta");
        assertThat(events.get(0).data().toString()).isEqualTo(json("{'type':'content_block_start','index':0,"
                + "'content_block':{'type':'tool_use','id':'call_one','name':'f','input':{}}}").toString());
        assertThat(events.get(1).data().toString()).isEqualTo(json("{'type':'content_block_delta','index':0,"
                + "'delta':{'type':'input_json_delta','partial_json':'{\\'a\\':[1,2]}'}}").toString());
        assertThat(translator.state()).isEqualTo(AnthropicStreamTranslator.State.IN_TOOL);
    }

    @Test
    void finishReasonInTheSameChunkAsContentKeepsTheContentAndTheReason() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'role':'assistant','content':'Hi'}"), chunk("{'content':' there'}", "length"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.at("/content/0/text").asText()).isEqualTo("Hi there");
        assertThat(message.get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void messageDeltaIsHeldUntilTheEndSoUsageOnlyInAFinalEmptyChoicesChunkIsReported() {
        // given
        AnthropicStreamTranslator translator = translator();
        translator.start();
        List<AnthropicStreamEvent> atFinish = translator.onChunk(chunk("{'content':'ok'}", "stop"));
        List<AnthropicStreamEvent> atUsage = translator.onChunk(json("{'id':'c','object':'chat.completion.chunk',"
                + "'choices':[],'usage':{'prompt_tokens':500,'completion_tokens':7,'total_tokens':507,"
                + "'prompt_tokens_details':{'cached_tokens':384}}}"));

        // when
        List<AnthropicStreamEvent> atEnd = translator.onEnd();

        // then
        assertThat(atFinish).extracting(AnthropicStreamEvent::type).doesNotContain("message_delta");
        assertThat(atUsage).isEmpty();
        assertThat(atEnd).extracting(AnthropicStreamEvent::type)
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(messageDelta(atEnd).toString()).isEqualTo(json("{'type':'message_delta',"
                + "'delta':{'stop_reason':'end_turn','stop_sequence':null},'usage':{'output_tokens':7,"
                + "'input_tokens':116,'cache_creation_input_tokens':0,'cache_read_input_tokens':384}}").toString());
    }

    @Test
    void usageOnEveryChunkReportsTheLastOne() {
        // given
        List<JsonNode> chunks = List.of(
                json("{'choices':[{'index':0,'delta':{'content':'a'}}],'usage':{'prompt_tokens':10,'completion_tokens':1}}"),
                json("{'choices':[{'index':0,'delta':{'content':'b'}}],'usage':{'prompt_tokens':10,'completion_tokens':2}}"),
                json("{'choices':[{'index':0,'delta':{},'finish_reason':'stop'}],'usage':{'prompt_tokens':10,'completion_tokens':3}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(3);
        assertThat(message.at("/usage/input_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void withoutUpstreamUsageOutputTokensAreEstimatedAndInputTokensStayTheEstimate() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'content':'sixteen chars..'}"), chunk("{'content':'.'}", "stop"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(messageDelta(events).get("usage").toString()).isEqualTo("{\"output_tokens\":4}");
        assertThat(message(events).at("/usage/input_tokens").asInt()).isEqualTo(ESTIMATED_INPUT);
    }

    @Test
    void aZeroOutputCountAfterStreamedTextIsReplacedByTheEstimate() {
        // given
        List<JsonNode> chunks = List.of(
                json("{'choices':[{'index':0,'delta':{'content':'eight ch'}}],'usage':{'prompt_tokens':9,'completion_tokens':0}}"),
                chunk("{}", "stop"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(messageDelta(events).at("/usage/output_tokens").asInt()).isEqualTo(2);
        assertThat(messageDelta(events).at("/usage/input_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void aTextStreamEndingWithoutFinishReasonIsAnEndTurn() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'role':'assistant','content':'cut short'}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "start text 0", "text_delta", "stop 0",
                "message_delta", "message_stop");
        assertThat(message(events).get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void aToolStreamEndingWithoutFinishReasonIsAToolUse() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_z','function':{'name':'f','arguments':'{}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(message(events).get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @ParameterizedTest(name = "finish_reason {0} → stop_reason {1}")
    @CsvSource({"stop, end_turn", "length, max_tokens", "content_filter, refusal", "eos, end_turn",
            "some_future_reason, end_turn", "tool_calls, end_turn"})
    void finishReasonOfATextStreamMapsToAnthropicsStopReason(String finishReason, String stopReason) {
        // given
        List<JsonNode> chunks = List.of(chunk("{'content':'x'}", finishReason));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(message(events).get("stop_reason").asText()).isEqualTo(stopReason);
    }

    @Test
    void anUpstreamErrorObjectInsideTheStreamEndsItWithAnErrorEvent() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());
        events.addAll(translator.onChunk(chunk("{'content':'partial'}")));

        // when
        events.addAll(translator.onChunk(json("{'error':{'message':'Upstream overloaded, try again',"
                + "'type':'overloaded_error','param':null,'code':null}}")));
        events.addAll(translator.onChunk(chunk("{'content':'ignored'}")));
        events.addAll(translator.onEnd());

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "start text 0", "text_delta", "error");
        assertThat(events.get(events.size() - 1).data().toString()).isEqualTo(json("{'type':'error','error':{"
                + "'type':'overloaded_error','message':'Upstream overloaded, try again'}}").toString());
        assertThat(translator.state()).isEqualTo(AnthropicStreamTranslator.State.FINISHED);
    }

    @Test
    void aConnectionDroppedMidStreamEndsItWithAnErrorEvent() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());
        events.addAll(translator.onChunk(tool("{'index':0,'id':'call_q','function':{'name':'f','arguments':'{\\'a'}}")));

        // when
        events.addAll(translator.onFailure("api_error", "Upstream connection lost"));
        List<AnthropicStreamEvent> afterwards = new ArrayList<>(translator.onEnd());
        afterwards.addAll(translator.onFailure("timeout_error", "again"));

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "start tool_use 0", "input_json_delta",
                "error");
        assertThat(events.get(events.size() - 1).data().at("/error/type").asText()).isEqualTo("api_error");
        assertThat(afterwards).isEmpty();
    }

    @Test
    void aTimeoutAfterTheFirstByteIsATimeoutError() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());

        // when
        events.addAll(translator.onFailure("timeout_error", "The upstream went silent for 180 s"));

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "error");
        assertThat(events.get(2).data().toString()).isEqualTo(json("{'type':'error','error':{'type':'timeout_error',"
                + "'message':'The upstream went silent for 180 s'}}").toString());
    }

    @Test
    void reasoningDeltasBecomeASignedThinkingBlockFollowedByText() {
        // given
        List<JsonNode> chunks = recorded("reasoning-then-text");

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping",
                "start thinking 0", "thinking_delta", "thinking_delta", "signature_delta", "stop 0",
                "start text 1", "text_delta", "stop 1", "message_delta", "message_stop");
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo(json("[{'type':'thinking',"
                + "'thinking':'The user asks 2+2. That is 4.','signature':'"
                + AnthropicResponseTranslator.THINKING_SIGNATURE + "'},{'type':'text','text':'2 + 2 = 4.'}]").toString());
        assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(15);
    }

    @Test
    void reasoningFieldIsStreamedWhenReasoningContentIsAbsent() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'reasoning':'Considering.'}"), chunk("{'content':'Done.'}", "stop"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(message(events).at("/content/0/thinking").asText()).isEqualTo("Considering.");
    }

    @Test
    void theStateNamesTheOpenBlock() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamTranslator.State> states = new ArrayList<>(List.of(translator.state()));

        // when
        translator.start();
        states.add(translator.state());
        translator.onChunk(chunk("{'reasoning_content':'r'}"));
        states.add(translator.state());
        translator.onChunk(chunk("{'content':'t'}"));
        states.add(translator.state());
        translator.onChunk(tool("{'index':0,'id':'c','function':{'name':'f','arguments':'{}'}}"));
        states.add(translator.state());
        translator.onEnd();
        states.add(translator.state());

        // then
        assertThat(states).containsExactly(AnthropicStreamTranslator.State.NOT_STARTED,
                AnthropicStreamTranslator.State.IN_MESSAGE, AnthropicStreamTranslator.State.IN_THINKING,
                AnthropicStreamTranslator.State.IN_TEXT, AnthropicStreamTranslator.State.IN_TOOL,
                AnthropicStreamTranslator.State.FINISHED);
    }

    @Test
    void textAfterToolsOpensANewTextBlock() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'content':'Before.'}"),
                tool("{'index':0,'id':'call_t','function':{'name':'f','arguments':'{}'}}"),
                chunk("{'content':'After.'}", "tool_calls"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "start text 0", "text_delta", "stop 0",
                "start tool_use 1", "input_json_delta", "stop 1", "start text 2", "text_delta", "stop 2",
                "message_delta", "message_stop");
    }

    @Test
    void textArrivingWhileAToolCallIsIncompleteWaitsUntilItsArgumentsAreWhole() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_t','function':{'name':'f','arguments':'{\\'a\\':'}}"),
                chunk("{'content':'Meanwhile.'}"), tool("{'index':0,'function':{'arguments':'1}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "start tool_use 0", "input_json_delta",
                "input_json_delta", "stop 0", "start text 1", "text_delta", "stop 1", "message_delta", "message_stop");
        assertThat(message(events).at("/content/0/input/a").asInt()).isEqualTo(1);
    }

    @Test
    void longToolNamesAreRestoredToTheClientsName() {
        // given
        String longName = "mcp__claude_in_chrome_extension_server__navigate_to_the_given_url_in_the_active_tab";
        ToolNames toolNames = new ToolNames();
        String upstreamName = toolNames.upstream(longName);
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_l','function':{'name':'" + upstreamName
                + "','arguments':'{}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(translator(toolNames, List.of()), chunks);

        // then
        assertThat(upstreamName).hasSizeLessThanOrEqualTo(ToolNames.MAX_LENGTH);
        assertThat(message(events).at("/content/0/name").asText()).isEqualTo(longName);
    }

    @Test
    void stopSequenceReportedByTheUpstreamIsNamedInMessageDelta() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'content':'1, 2, 3'}"),
                json("{'choices':[{'index':0,'delta':{},'finish_reason':'stop','stop_reason':'STOP'}]}"));

        // when
        List<AnthropicStreamEvent> events = run(translator(new ToolNames(), List.of("STOP")), chunks);

        // then
        assertThat(messageDelta(events).get("delta").toString())
                .isEqualTo("{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"STOP\"}");
    }

    @Test
    void aToolCallThatNeverGetsAnIdGetsASynthesizedOneAtTheEnd() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'function':{'name':'f','arguments':'{\\'a\\':'}}"),
                tool("{'index':0,'function':{'arguments':'1}'}}"), chunk("{}", "tool_calls"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.at("/content/0/id").asText()).isEqualTo("toolu_01StreamTest_0");
        assertThat(message.at("/content/0/input/a").asInt()).isEqualTo(1);
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aToolCallThatNeverGetsANameIsDropped() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'content':'Hi'}"),
                tool("{'index':0,'id':'call_n','function':{'arguments':'{}'}}"), chunk("{}", "tool_calls"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.get("content")).hasSize(1);
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void argumentsRepeatedAfterTheyWereCompleteAreDropped() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_r','function':{'name':'f','arguments':'{\\'a\\':'}}"),
                tool("{'index':0,'function':{'arguments':'1}'}}"),
                tool("{'index':0,'function':{'arguments':'{\\'a\\':1}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        assertThat(message(events).at("/content/0/input").toString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void anIndexReusedWithANewIdIsANewCall() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_1','function':{'name':'f','arguments':'{}'}}"),
                tool("{'index':0,'id':'call_2','function':{'name':'g','arguments':'{}'}}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.get("content")).extracting(block -> block.get("id").asText())
                .containsExactly("call_1", "call_2");
    }

    @Test
    void aToolWithoutArgumentsCallsGetsAnEmptyInput() {
        // given
        List<JsonNode> chunks = List.of(tool("{'index':0,'id':'call_e','function':{'name':'now','arguments':''}}"),
                tool("{'index':1,'id':'call_f','function':{'name':'today','arguments':''}}"), chunk("{}", "tool_calls"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo(json("[{'type':'tool_use','id':'call_e','name':'now',"
                + "'input':{}},{'type':'tool_use','id':'call_f','name':'today','input':{}}]").toString());
    }

    @Test
    void aChunkBeforeStartStartsTheMessage() {
        // given
        AnthropicStreamTranslator translator = translator();

        // when
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.onChunk(chunk("{'content':'Hi'}")));
        events.addAll(translator.onEnd());

        // then
        assertThat(trace(events)).startsWith("message_start", "ping", "start text 0");
    }

    @Test
    void pingsMayComeBetweenAnyEvents() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = new ArrayList<>(translator.start());

        // when
        events.add(translator.ping());
        events.addAll(translator.onChunk(chunk("{'content':'Hi'}")));
        events.add(translator.ping());
        events.addAll(translator.onEnd());

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "ping", "start text 0", "text_delta",
                "ping", "stop 0", "message_delta", "message_stop");
    }

    @Test
    void refusalDeltasBecomeTextWithARefusalStopReason() {
        // given
        List<JsonNode> chunks = List.of(chunk("{'refusal':'I cannot help with that.'}"), chunk("{}", "stop"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.at("/content/0/text").asText()).isEqualTo("I cannot help with that.");
        assertThat(message.get("stop_reason").asText()).isEqualTo("refusal");
    }

    @Test
    void malformedChunksNeverThrowAndStillGiveAValidStream() {
        // given
        List<JsonNode> chunks = List.of(json("null"), json("'text'"), json("[]"), json("{}"),
                json("{'choices':'x'}"), json("{'choices':[null,1,{'delta':'x'}]}"),
                json("{'choices':[{'index':0,'delta':{'content':7,'reasoning_content':{},'tool_calls':'x'}}]}"),
                json("{'choices':[{'index':0,'delta':{'tool_calls':[null,7,{'index':'a'},{'function':'x'},"
                        + "{'index':0,'function':{'name':5,'arguments':null}}]}}]}"),
                json("{'choices':[{'index':1,'delta':{'content':'second choice is ignored'}}]}"),
                json("{'usage':'x','choices':[{'index':0,'delta':{'content':'ok'},'finish_reason':9}]}"),
                json("{'usage':{'prompt_tokens':'x','completion_tokens':null}}"),
                json("{'error':null,'choices':[]}"));

        // when
        List<AnthropicStreamEvent> events = run(chunks);

        // then
        ObjectNode message = message(events);
        assertThat(message.get("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"ok\"}]");
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void onEndIsIdempotent() {
        // given
        AnthropicStreamTranslator translator = translator();
        List<AnthropicStreamEvent> events = run(translator, List.of(chunk("{'content':'x'}", "stop")));

        // when
        List<AnthropicStreamEvent> again = translator.onEnd();

        // then
        assertThat(again).isEmpty();
        assertThat(translator.onChunk(chunk("{'content':'late'}"))).isEmpty();
        assertThat(trace(events)).endsWith("message_delta", "message_stop");
    }

    @Test
    void anEmptyUpstreamStreamIsStillAWholeMessage() {
        // given
        AnthropicStreamTranslator translator = translator();

        // when
        List<AnthropicStreamEvent> events = translator.onEnd();

        // then
        assertThat(trace(events)).containsExactly("message_start", "ping", "message_delta", "message_stop");
        assertThat(messageDelta(events).at("/usage/output_tokens").asInt()).isZero();
    }
}
