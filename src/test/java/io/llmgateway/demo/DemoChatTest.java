package io.llmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoChatTest {

    private static final long CREATED = 1_700_000_000L;
    private static final String WEATHER_TOOL = """
            {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
             "properties":{"city":{"type":"string"},"days":{"type":"integer"},"ratio":{"type":"number"},
                           "celsius":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string"}},
                           "unit":{"type":"string","enum":["c","f"]},"nickname":{"type":["null","string"]},
                           "filter":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]},
                           "note":{"type":"string"}},
             "required":["city","days","ratio","celsius","tags","unit","nickname","filter"]}}}""";
    private static final String CLOCK_TOOL = """
            {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}""";

    @Test
    void answersWithLabelledTextEchoingTheLastUserMessage() throws Exception {
        // given
        JsonNode request = json("""
                {"model":"m1","messages":[{"role":"system","content":"Be brief"},
                                          {"role":"user","content":"Hello there"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).startsWith(DemoChat.LABEL).contains("You said: «Hello there».")
                .contains("```java");
        assertThat(answer.toolCalls()).isEmpty();
        ObjectNode completion = answer.completion();
        assertThat(completion.get("id").asText()).isEqualTo("chatcmpl-demo-abc");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("created").asLong()).isEqualTo(CREATED);
        assertThat(completion.get("model").asText()).isEqualTo("m1");
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo(answer.content());
        assertThat(choice.get("message").has("tool_calls")).isFalse();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("logprobs").isNull()).isTrue();
    }

    @Test
    void namesTheDemoModelWhenTheRequestNamesNone() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.model()).isEqualTo("demo-model");
    }

    @Test
    void givesTheSameAnswerToTheSameRequest() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"tools":[%s]}""".formatted(WEATHER_TOOL));

        // when
        ObjectNode first = DemoChat.answer(request, "abc", CREATED).completion();
        ObjectNode second = DemoChat.answer(request, "abc", CREATED).completion();

        // then
        assertThat(first).isEqualTo(second);
    }

    @Test
    void cutsALongUserMessageInTheEcho() throws Exception {
        // given
        String longText = "x".repeat(300);
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"%s"}]}""".formatted(longText));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).contains("«" + "x".repeat(DemoChat.ECHO_LIMIT) + "…»")
                .doesNotContain("x".repeat(DemoChat.ECHO_LIMIT + 1));
    }

    @Test
    void echoesTheTextPartsOfMultipartUserContent() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":[
                    {"type":"text","text":"part one"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
                    {"type":"text","text":"part two"}]}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).contains("«part one\npart two»");
    }

    @Test
    void callsTheFirstToolWithArgumentsBuiltFromItsRequiredProperties() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Weather?"}],"tools":[%s,%s]}"""
                .formatted(WEATHER_TOOL, CLOCK_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.content()).isNull();
        assertThat(answer.toolCalls()).hasSize(1);
        DemoAnswer.ToolCall call = answer.toolCalls().get(0);
        assertThat(call.id()).isEqualTo("call_demo_abc_0");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call.arguments())).isEqualTo(json("""
                {"city":"demo","days":1,"ratio":1,"celsius":true,"tags":[],"unit":"c","nickname":"demo",
                 "filter":{"x":"demo"}}"""));
        JsonNode message = answer.completion().get("choices").get(0).get("message");
        assertThat(message.get("content").isNull()).isTrue();
        assertThat(message.get("tool_calls")).isEqualTo(json("""
                [{"id":"call_demo_abc_0","type":"function",
                  "function":{"name":"get_weather","arguments":%s}}]"""
                .formatted(Json.MAPPER.writeValueAsString(call.arguments()))));
    }

    @Test
    void callsAToolWithoutParametersWithEmptyArguments() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Time?"}],
                 "tools":[{"type":"function","function":{"name":"now"}}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls().get(0).arguments()).isEqualTo("{}");
    }

    @Test
    void callsTheToolNamedByToolChoice() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Time?"}],"tools":[%s,%s],
                 "tool_choice":{"type":"function","function":{"name":"get_time"}}}"""
                .formatted(WEATHER_TOOL, CLOCK_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).extracting(DemoAnswer.ToolCall::name).containsExactly("get_time");
    }

    @Test
    void rejectsAToolChoiceNamingAnUnknownTool() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Time?"}],"tools":[%s],
                 "tool_choice":{"type":"function","function":{"name":"nope"}}}""".formatted(CLOCK_TOOL));

        // when / then
        assertThatThrownBy(() -> DemoChat.answer(request, "abc", CREATED))
                .isInstanceOfSatisfying(DemoChat.InvalidRequest.class,
                        e -> assertThat(e.param()).isEqualTo("tool_choice"));
    }

    @Test
    void answersWithTextWhenToolChoiceIsNone() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Weather?"}],"tools":[%s],"tool_choice":"none"}"""
                .formatted(WEATHER_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.content()).contains("You said: «Weather?»");
    }

    @Test
    void makesSeveralToolCallsWhenTheUserAsksForParallelCalls() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Check the weather in Parallel, please"}],"tools":[%s]}"""
                .formatted(WEATHER_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).hasSize(DemoChat.PARALLEL_CALLS)
                .extracting(DemoAnswer.ToolCall::id).containsExactly("call_demo_abc_0", "call_demo_abc_1");
    }

    @Test
    void makesOneToolCallWhenParallelToolCallsAreDisabled() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"parallel please"}],"tools":[%s],
                 "parallel_tool_calls":false}""".formatted(WEATHER_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).hasSize(1);
    }

    @Test
    void answersAToolResultWithTextMentioningIt() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[
                   {"role":"user","content":"Weather?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"22 degrees and sunny"}],
                 "tools":[%s]}""".formatted(WEATHER_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.content()).startsWith(DemoChat.LABEL)
                .contains("The tool returned: «22 degrees and sunny»");
    }

    @Test
    void stopsAtMaxTokensWithFinishReasonLength() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"max_tokens":3}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo("(Simulated answer from");
        assertThat(answer.finishReason()).isEqualTo("length");
        assertThat(answer.completionTokens()).isEqualTo(3);
    }

    @Test
    void prefersMaxCompletionTokensOverMaxTokens() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"max_tokens":3,"max_completion_tokens":1}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo("(Simulated");
        assertThat(answer.finishReason()).isEqualTo("length");
    }

    @Test
    void rejectsAMaxTokensBelowOne() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"max_tokens":0}""");

        // when / then
        assertThatThrownBy(() -> DemoChat.answer(request, "abc", CREATED))
                .isInstanceOfSatisfying(DemoChat.InvalidRequest.class,
                        e -> assertThat(e.param()).isEqualTo("max_tokens"));
    }

    @Test
    void cutsTheAnswerBeforeTheEarliestStopSequence() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"stop":["You said","demo"]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo("(Simulated answer from the LLM OAuth Gateway ");
        assertThat(answer.finishReason()).isEqualTo("stop");
    }

    @Test
    void acceptsASingleStopString() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi"}],"stop":"OAuth"}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo("(Simulated answer from the LLM ");
    }

    @Test
    void reportsUsageWithOneCompletionTokenPerWordAndFourPromptCharactersPerToken() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"system","content":"abcd"},{"role":"user","content":"efghi"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        JsonNode usage = answer.completion().get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(answer.words().size());
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(3 + answer.words().size());
    }

    @Test
    void streamsTheRoleThenOneChunkPerWordThenTheFinishReasonThenUsage() throws Exception {
        // given
        JsonNode request = json("""
                {"model":"m1","messages":[{"role":"user","content":"Hi"}],"stream":true,
                 "stream_options":{"include_usage":true}}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);
        List<ObjectNode> chunks = answer.chunks();

        // then
        assertThat(answer.stream()).isTrue();
        assertThat(chunks).hasSize(answer.words().size() + 3).allSatisfy(chunk -> {
            assertThat(chunk.get("id").asText()).isEqualTo("chatcmpl-demo-abc");
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("model").asText()).isEqualTo("m1");
        });
        assertThat(delta(chunks.get(0))).isEqualTo(json("""
                {"role":"assistant","content":""}"""));
        String streamed = chunks.subList(1, chunks.size() - 2).stream()
                .map(chunk -> delta(chunk).get("content").asText())
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo(answer.content());
        ObjectNode finish = chunks.get(chunks.size() - 2);
        assertThat(delta(finish)).isEmpty();
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        ObjectNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage")).isEqualTo(answer.completion().get("usage"));
    }

    @Test
    void streamsEachToolCallAsIdAndNameThenArgumentFragments() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"parallel"}],"tools":[%s],"stream":true}"""
                .formatted(WEATHER_TOOL));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);
        List<ObjectNode> chunks = answer.chunks();

        // then
        assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
        assertThat(chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("tool_calls");
        for (int index = 0; index < DemoChat.PARALLEL_CALLS; index++) {
            int callIndex = index;
            List<JsonNode> callDeltas = chunks.stream()
                    .map(chunk -> delta(chunk).path("tool_calls").path(0))
                    .filter(call -> !call.isMissingNode() && call.get("index").asInt() == callIndex)
                    .toList();
            assertThat(callDeltas.get(0)).isEqualTo(json("""
                    {"index":%d,"id":"call_demo_abc_%d","type":"function",
                     "function":{"name":"get_weather","arguments":""}}""".formatted(index, index)));
            assertThat(callDeltas.subList(1, callDeltas.size())).hasSizeBetween(2, DemoAnswer.ARGUMENT_FRAGMENTS)
                    .allSatisfy(fragment -> assertThat(fragment.has("id")).isFalse());
            String arguments = callDeltas.stream()
                    .map(call -> call.get("function").get("arguments").asText())
                    .collect(Collectors.joining());
            assertThat(arguments).isEqualTo(answer.toolCalls().get(index).arguments());
        }
    }

    @Test
    void splitsArgumentsWithoutBreakingSurrogatePairs() {
        // given
        DemoAnswer.ToolCall call = new DemoAnswer.ToolCall("id", "name", "😀😀😀😀");

        // when
        List<String> fragments = call.argumentFragments();

        // then
        assertThat(fragments).containsExactly("😀😀", "😀😀");
    }

    @Test
    void splitsTextIntoWordsThatJoinBackToTheText() {
        // given
        String text = "  one two\n\nthree  ";

        // when
        List<String> words = DemoChat.words(text);

        // then
        assertThat(words).containsExactly("  one", " two", "\n\nthree", "  ");
    }

    @Test
    void rejectsARequestWithoutMessages() throws Exception {
        // given
        JsonNode request = json("""
                {"model":"demo-model","messages":[]}""");

        // when / then
        assertThatThrownBy(() -> DemoChat.answer(request, "abc", CREATED))
                .isInstanceOfSatisfying(DemoChat.InvalidRequest.class,
                        e -> assertThat(e.param()).isEqualTo("messages"));
    }

    @Test
    void rejectsABodyThatIsNotAnObject() throws Exception {
        // given
        JsonNode request = json("[1,2]");

        // when / then
        assertThatThrownBy(() -> DemoChat.answer(request, "abc", CREATED))
                .isInstanceOf(DemoChat.InvalidRequest.class);
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.get("choices").get(0).get("delta");
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
