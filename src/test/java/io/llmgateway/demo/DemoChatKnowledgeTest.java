package io.llmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import org.junit.jupiter.api.Test;

/** What the simulated model answers from its few canned facts, tool arguments and JSON response formats. */
class DemoChatKnowledgeTest {

    private static final long CREATED = 1_700_000_000L;
    private static final String WEATHER = """
            {"type":"function","function":{"name":"getWeather","parameters":{"type":"object",
             "properties":{"city":{"type":"string"}}}}}""";
    private static final String TIME = """
            {"type":"function","function":{"name":"getTime","parameters":{"type":"object",
             "properties":{"country":{"type":"string"}}}}}""";

    @Test
    void answersACapitalQuestionWithTheCityAfterTheLabel() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"What is the capital of Germany?"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo(DemoChat.LABEL + " The capital of Germany is Berlin.");
    }

    @Test
    void translatesAKnownPhraseWhenTheSystemMessageAsksForGerman() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"system","content":"Translate messages from user into German"},
                             {"role":"user","content":"Translate: 'I love you'"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).endsWith("In German: «Ich liebe dich».");
    }

    @Test
    void recallsAFavoriteFromAnEarlierUserTurn() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Hi, my favorite color is green"},
                             {"role":"assistant","content":"Hi, nice to meet you"},
                             {"role":"user","content":"What is my favorite color?"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).endsWith("Your favorite color is green.");
    }

    @Test
    void saysWhatItIsToldToSaySoStopSequencesHaveSomethingToCut() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Say 'Hello World'"}],"stop":["World"," World"]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo(DemoChat.LABEL + " Hello");
        assertThat(answer.finishReason()).isEqualTo("stop");
    }

    @Test
    void fillsAStringArgumentWithThePlaceTheUserNamed() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"What is the weather in Munich?"}],"tools":[%s]}"""
                .formatted(WEATHER));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"city\":\"Munich\"}"));
    }

    @Test
    void callsEachOfTheFirstToolsOnceWhenAskedForParallelCallsWithSeveralTools() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"What is the weather in Munich and time in France? \
                Call tools simultaneously (in parallel)"}],"tools":[%s,%s]}""".formatted(WEATHER, TIME));

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.toolCalls()).extracting(DemoAnswer.ToolCall::name, DemoAnswer.ToolCall::arguments)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("getWeather", "{\"city\":\"Munich\"}"),
                        org.assertj.core.groups.Tuple.tuple("getTime", "{\"country\":\"France\"}"));
    }

    @Test
    void mentionsEveryToolResultThatEndsTheConversation() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"Weather and time?"},
                   {"role":"assistant","content":null,"tool_calls":[
                     {"id":"c1","type":"function","function":{"name":"getWeather","arguments":"{}"}},
                     {"id":"c2","type":"function","function":{"name":"getTime","arguments":"{}"}}]},
                   {"role":"tool","tool_call_id":"c1","content":"sunny"},
                   {"role":"tool","tool_call_id":"c2","content":"14:35"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).contains("The tools returned: «sunny», «14:35».");
    }

    @Test
    void sendsEmptyArgumentsAsOneFragment() {
        // given
        DemoAnswer.ToolCall call = new DemoAnswer.ToolCall("id", "now", "{}");

        // when / then
        assertThat(call.argumentFragments()).containsExactly("{}");
    }

    @Test
    void answersInJsonObjectModeWithTheFieldThePromptNames() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"What is the capital of Germany? \
                Answer with a JSON object containing a single 'city' field"}],
                 "response_format":{"type":"json_object"}}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(json(answer.content())).isEqualTo(json("{\"city\":\"Berlin\"}"));
        assertThat(answer.words()).hasSizeGreaterThan(1);
    }

    @Test
    void answersInJsonSchemaModeWithAValueOfTheSchemaPreferringMentionedEnumValues() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"What is the weather in Munich?"},
                   {"role":"assistant","content":null,"tool_calls":[
                     {"id":"c1","type":"function","function":{"name":"getWeather","arguments":"{}"}}]},
                   {"role":"tool","tool_call_id":"c1","content":"rainy"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"weather","schema":
                   {"type":"object","properties":{"weather":{"type":"string","enum":["sunny","rainy"]}}}}}}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(json(answer.content())).isEqualTo(json("{\"weather\":\"rainy\"}"));
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
