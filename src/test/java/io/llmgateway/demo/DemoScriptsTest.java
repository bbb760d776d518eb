package io.llmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import org.junit.jupiter.api.Test;

class DemoScriptsTest {

    private static final long CREATED = 1_700_000_000L;

    @Test
    void theLongMarkerStreamsNumbersOneEventEachAndEndsWithAClosingLine() throws Exception {
        // given
        JsonNode request = json("""
                {"stream":true,"messages":[{"role":"user","content":"Count for me, demo:long"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).startsWith(DemoChat.LABEL).contains("\n\n1 2 3 ").contains(" 399 400\n\n")
                .endsWith(DemoScripts.LONG_END);
        assertThat(answer.words()).hasSizeGreaterThan(DemoScripts.LONG_WORDS);
        assertThat(answer.chunks()).hasSize(answer.words().size() + 2); // the role chunk and the finish chunk
    }

    @Test
    void theMarkupMarkerAnswersWithRawHtmlThatAPageMustNotRun() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":"demo:markup please"}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).startsWith(DemoChat.LABEL)
                .contains("<img src=x onerror=\"window.demoInjected=true\">")
                .contains("<script>window.demoInjected=true</script>")
                .contains("[a link](javascript:window.demoInjected=true)");
    }

    @Test
    void aTitleRequestGetsTheFirstWordsOfTheFirstUserLineMarkedAsTheDemos() throws Exception {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"system","content":"Write a Short Title for the conversation below."},
                             {"role":"user","content":"User: Hello gateway, show me: some markdown!\\n\\nAssistant: Sure."}]}""");

        // when
        DemoAnswer answer = DemoChat.answer(request, "abc", CREATED);

        // then
        assertThat(answer.content()).isEqualTo("Demo · Hello gateway show me");
    }

    @Test
    void withoutAMarkerTheEchoIsUnchangedAndAToolResultIsNeverScripted() throws Exception {
        // given
        JsonNode plain = json("""
                {"messages":[{"role":"user","content":"Hello"}]}""");
        JsonNode toolTurn = json("""
                {"messages":[{"role":"user","content":"demo:long"},
                             {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                              "function":{"name":"f","arguments":"{}"}}]},
                             {"role":"tool","tool_call_id":"c1","content":"42"}]}""");

        // when
        DemoAnswer echo = DemoChat.answer(plain, "abc", CREATED);
        DemoAnswer toolAnswer = DemoChat.answer(toolTurn, "abc", CREATED);

        // then
        assertThat(echo.content()).contains("You said: «Hello»");
        assertThat(toolAnswer.content()).contains("The tool returned: «42»").doesNotContain(DemoScripts.LONG_END);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
