package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AnthropicResponseTranslatorTest {
    private static final String MESSAGE_ID = "msg_01TestMessage";
    private static final String MODEL = "claude-sonnet-4-5";

    /** JSON with single quotes for readability. */
    private static JsonNode json(String singleQuoted) {
        try {
            return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The compact text of single-quoted JSON: compares field order too, and numbers whatever their Java type. */
    private static String jsonText(String singleQuoted) {
        return json(singleQuoted).toString();
    }

    private static JsonNode completion(String message, String finishReason, String usage) {
        return json("{'id':'chatcmpl-1','object':'chat.completion','created':1,'model':'upstream-model',"
                + "'choices':[{'index':0,'message':" + message + ",'finish_reason':" + finishReason + "}]"
                + (usage == null ? "" : ",'usage':" + usage) + "}");
    }

    private static ObjectNode translate(JsonNode completion) {
        return translate(completion, new ToolNames(), List.of());
    }

    private static ObjectNode translate(JsonNode completion, ToolNames toolNames, List<String> stopSequences) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            AnthropicResponseTranslator.toMessage(completion, MODEL, toolNames, stopSequences, MESSAGE_ID)
                    .writeTo(message);
            return (ObjectNode) Json.MAPPER.readTree(message.toByteArray());
        } catch (java.io.IOException e) {
            throw new AssertionError("the message is not JSON: " + message.toString(StandardCharsets.UTF_8), e);
        }
    }

    @Test
    void textAnswerBecomesOneTextBlockWithAnthropicsExactShape() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'Hello there'}", "'stop'",
                "{'prompt_tokens':12,'completion_tokens':3,'total_tokens':15}");

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.toString()).isEqualTo(jsonText("{'id':'msg_01TestMessage','type':'message','role':'assistant',"
                + "'model':'claude-sonnet-4-5','content':[{'type':'text','text':'Hello there'}],"
                + "'stop_reason':'end_turn','stop_sequence':null,'usage':{'input_tokens':12,'output_tokens':3,"
                + "'cache_creation_input_tokens':0,'cache_read_input_tokens':0}}"));
    }

    @Test
    void toolCallsBecomeToolUseBlocksWithParsedInputAndTheUpstreamsIds() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':null,'tool_calls':["
                + "{'id':'call_a','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},"
                + "{'id':'call_b','type':'function','function':{'name':'get_time','arguments':'{}'}}]}",
                "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("content")).isEqualTo(json("[{'type':'tool_use','id':'call_a','name':'get_weather',"
                + "'input':{'city':'Paris'}},{'type':'tool_use','id':'call_b','name':'get_time','input':{}}]"));
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void textBeforeToolCallsComesFirst() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'Let me look.','tool_calls':["
                + "{'id':'call_a','type':'function','function':{'name':'search','arguments':'{\\'q\\':1}'}}]}",
                "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("content")).extracting(block -> block.get("type").asText())
                .containsExactly("text", "tool_use");
    }

    @Test
    void shortenedToolNamesAreRestored() {
        // given
        String longName = "mcp__some_very_long_server_name__and_an_even_longer_tool_name_beyond_limits";
        ToolNames toolNames = new ToolNames();
        String upstreamName = toolNames.upstream(longName);
        JsonNode completion = completion("{'role':'assistant','tool_calls':[{'id':'call_a','type':'function',"
                + "'function':{'name':'" + upstreamName + "','arguments':'{}'}}]}", "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion, toolNames, List.of());

        // then
        assertThat(upstreamName).isNotEqualTo(longName);
        assertThat(message.at("/content/0/name").asText()).isEqualTo(longName);
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreKeptAsRawTextInsteadOfFailing() {
        // given
        JsonNode completion = completion("{'role':'assistant','tool_calls':["
                + "{'id':'call_a','type':'function','function':{'name':'broken','arguments':'{\\'city\\': \\'Par'}},"
                + "{'id':'call_b','type':'function','function':{'name':'listy','arguments':'[1,2]'}}]}",
                "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.at("/content/0/input")).isEqualTo(json("{'_raw':'{\\'city\\': \\'Par'}"));
        assertThat(message.at("/content/1/input")).isEqualTo(json("{'_raw':'[1,2]'}"));
    }

    @Test
    void emptyMissingDoubleEncodedAndObjectArgumentsAllBecomeObjects() {
        // given
        JsonNode completion = completion("{'role':'assistant','tool_calls':["
                + "{'id':'c1','function':{'name':'a','arguments':''}},"
                + "{'id':'c2','function':{'name':'b'}},"
                + "{'id':'c3','function':{'name':'c','arguments':'\\'{\\\\\\'x\\\\\\':1}\\''}},"
                + "{'id':'c4','function':{'name':'d','arguments':{'y':2}}}]}", "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.at("/content/0/input")).isEqualTo(json("{}"));
        assertThat(message.at("/content/1/input")).isEqualTo(json("{}"));
        assertThat(message.at("/content/2/input")).isEqualTo(json("{'x':1}"));
        assertThat(message.at("/content/3/input")).isEqualTo(json("{'y':2}"));
    }

    @Test
    void toolCallsWithoutIdGetASynthesizedIdAndWithoutNameAreDropped() {
        // given
        JsonNode completion = completion("{'role':'assistant','tool_calls':["
                + "{'type':'function','function':{'name':'a','arguments':'{}'}},"
                + "{'id':'call_x','type':'function','function':{'arguments':'{}'}}]}", "'tool_calls'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("content")).hasSize(1);
        assertThat(message.at("/content/0/id").asText()).isEqualTo("toolu_01TestMessage_0").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void legacyFunctionCallBecomesAToolUseBlock() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':null,"
                + "'function_call':{'name':'lookup','arguments':'{\\'k\\':\\'v\\'}'}}", "'function_call'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.at("/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(message.at("/content/0/input")).isEqualTo(json("{'k':'v'}"));
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void reasoningContentBecomesASignedThinkingBlockBeforeTheText() {
        // given
        JsonNode completion = completion("{'role':'assistant','reasoning_content':'Think first.','content':'Answer.'}",
                "'stop'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("content")).isEqualTo(json("[{'type':'thinking','thinking':'Think first.','signature':'"
                + AnthropicResponseTranslator.THINKING_SIGNATURE + "'},{'type':'text','text':'Answer.'}]"));
    }

    @Test
    void reasoningFieldIsReadWhenReasoningContentIsAbsent() {
        // given
        JsonNode completion = completion("{'role':'assistant','reasoning':'Hmm.','content':'Yes.'}", "'stop'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.at("/content/0/thinking").asText()).isEqualTo("Hmm.");
        assertThat(message.at("/content/0/signature").asText()).isNotEmpty();
    }

    @Test
    void emptyOrMissingContentGivesAnEmptyContentListNeverAnEmptyTextBlock() {
        // given
        JsonNode empty = completion("{'role':'assistant','content':''}", "'stop'", null);
        JsonNode missing = completion("{'role':'assistant'}", "'stop'", null);

        // when
        ObjectNode fromEmpty = translate(empty);
        ObjectNode fromMissing = translate(missing);

        // then
        assertThat(fromEmpty.get("content")).isEmpty();
        assertThat(fromMissing.get("content")).isEmpty();
    }

    @Test
    void cachedPromptTokensAreReportedAsCacheReadsAndLeftOutOfInputTokens() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'ok'}", "'stop'",
                "{'prompt_tokens':1000,'completion_tokens':20,'prompt_tokens_details':{'cached_tokens':800}}");

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("usage").toString()).isEqualTo(jsonText("{'input_tokens':200,'output_tokens':20,"
                + "'cache_creation_input_tokens':0,'cache_read_input_tokens':800}"));
    }

    @Test
    void passedThroughCacheCreationTokensAreReportedAndLeftOutOfInputTokens() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'ok'}", "'stop'",
                "{'prompt_tokens':1000,'completion_tokens':20,'cache_creation_input_tokens':300,"
                        + "'prompt_tokens_details':{'cached_tokens':600}}");

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("usage").toString()).isEqualTo(jsonText("{'input_tokens':100,'output_tokens':20,"
                + "'cache_creation_input_tokens':300,'cache_read_input_tokens':600}"));
    }

    @Test
    void missingUsageGivesZeroInputAndEstimatedOutputTokens() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'twelve chars'}", "'stop'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("usage").toString()).isEqualTo(jsonText("{'input_tokens':0,'output_tokens':3,"
                + "'cache_creation_input_tokens':0,'cache_read_input_tokens':0}"));
    }

    @ParameterizedTest(name = "finish_reason {0} → stop_reason {1}")
    @CsvSource(nullValues = "null", value = {
            "stop, end_turn",
            "length, max_tokens",
            "content_filter, refusal",
            "null, end_turn",
            "eos, end_turn",
            "some_future_reason, end_turn",
            "tool_calls, end_turn",
    })
    void finishReasonOfATextAnswerMapsToAnthropicsStopReason(String finishReason, String stopReason) {
        // given
        JsonNode completion = completion("{'role':'assistant','content':'x'}",
                finishReason == null ? "null" : "'" + finishReason + "'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("stop_reason").asText()).isEqualTo(stopReason);
        assertThat(message.get("stop_sequence").isNull()).isTrue();
    }

    @ParameterizedTest(name = "finish_reason {0} with a tool call → stop_reason {1}")
    @CsvSource(nullValues = "null", value = {
            "tool_calls, tool_use",
            "function_call, tool_use",
            "stop, tool_use",
            "null, tool_use",
            "length, max_tokens",
    })
    void finishReasonOfAToolAnswerMapsToAnthropicsStopReason(String finishReason, String stopReason) {
        // given
        JsonNode completion = completion("{'role':'assistant','tool_calls':[{'id':'c','type':'function',"
                + "'function':{'name':'f','arguments':'{}'}}]}",
                finishReason == null ? "null" : "'" + finishReason + "'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.get("stop_reason").asText()).isEqualTo(stopReason);
    }

    @Test
    void stopSequenceReportedByTheUpstreamIsNamed() {
        // given
        JsonNode completion = json("{'choices':[{'index':0,'message':{'role':'assistant','content':'1, 2, 3'},"
                + "'finish_reason':'stop','stop_reason':'END'}]}");

        // when
        ObjectNode message = translate(completion, new ToolNames(), List.of("STOP", "END"));

        // then
        assertThat(message.get("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(message.get("stop_sequence").asText()).isEqualTo("END");
    }

    @Test
    void stopReasonThatIsNotOneOfTheClientsSequencesIsAnEndTurn() {
        // given
        JsonNode completion = json("{'choices':[{'index':0,'message':{'role':'assistant','content':'x'},"
                + "'finish_reason':'stop','stop_reason':128009}]}");

        // when
        ObjectNode message = translate(completion, new ToolNames(), List.of("END"));

        // then
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.get("stop_sequence").isNull()).isTrue();
    }

    @Test
    void refusalBecomesTextWithARefusalStopReason() {
        // given
        JsonNode completion = completion("{'role':'assistant','content':null,'refusal':'I cannot help with that.'}",
                "'stop'", null);

        // when
        ObjectNode message = translate(completion);

        // then
        assertThat(message.at("/content/0/text").asText()).isEqualTo("I cannot help with that.");
        assertThat(message.get("stop_reason").asText()).isEqualTo("refusal");
    }

    @Test
    void errorCompletionThrowsWithTheUpstreamsStatusAndMessage() {
        // given
        JsonNode completion = json("{'error':{'message':'Rate limit reached','type':'rate_limit_exceeded',"
                + "'param':null,'code':'429'}}");

        // when
        AnthropicResponseException error = catchThrowableOfType(AnthropicResponseException.class,
                () -> translate(completion));

        // then
        assertThat(error.status()).isEqualTo(429);
        assertThat(error.errorType()).isEqualTo("rate_limit_error");
        assertThat(error.getMessage()).isEqualTo("Rate limit reached");
        assertThat(error.body()).isEqualTo(json("{'type':'error','error':{'type':'rate_limit_error',"
                + "'message':'Rate limit reached'}}"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{'error':{'message':'m','type':'invalid_request_error','code':'context_length_exceeded'}} | 400",
            "{'error':{'message':'m','type':'authentication_error'}} | 401",
            "{'error':{'message':'m','code':403}} | 403",
            "{'error':{'message':'m','type':'overloaded_error'}} | 529",
            "{'error':'plain text failure'} | 502",
            "{'error':{'message':'m','type':'server_error','code':null}} | 502",
            "{'object':'error','message':'m','type':'BadRequestError','param':null,'code':400} | 400",
    })
    void errorObjectsOfEveryShapeCarryAnHttpStatus(String answer, int status) {
        // given
        JsonNode completion = json(answer);

        // when
        AnthropicResponseException error = catchThrowableOfType(AnthropicResponseException.class,
                () -> translate(completion));

        // then
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void malformedCompletionsNeverThrow() {
        // given
        List<JsonNode> completions = List.of(json("{}"), json("[]"), json("'text'"), json("{'choices':null}"),
                json("{'choices':[null,7]}"), json("{'choices':[{'message':'oops','finish_reason':3}]}"),
                json("{'choices':[{'message':{'content':5,'tool_calls':{'a':1},'reasoning':[1]}}],'usage':7}"),
                json("{'choices':[{'message':{'tool_calls':[null,'x',{'function':'y'}]}}],"
                        + "'usage':{'prompt_tokens':'many','completion_tokens':-4}}"));

        // when
        List<ObjectNode> messages = completions.stream().map(AnthropicResponseTranslatorTest::translate).toList();

        // then
        assertThat(messages).allSatisfy(message -> {
            assertThat(message.get("content").isArray()).isTrue();
            assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(message.at("/usage/output_tokens").isIntegralNumber()).isTrue();
        });
    }
}
