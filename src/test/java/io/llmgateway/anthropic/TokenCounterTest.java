package io.llmgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgateway.config.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private static final EncodingRegistry REFERENCE = Encodings.newLazyEncodingRegistry();
    private static final String USER_TEXT = "Please refactor the parser so that it streams its input.";

    private static TokenCounter counter;
    private static ExecutorService pool;

    @BeforeAll
    static void buildOnce() {
        counter = new TokenCounter("o200k_base");
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void plainTextCountsEqualJtokkitsCountForThatText() {
        // given
        List<String> texts = List.of("Hello, world!", "def main():\n    print('hi')\n",
                "Ünïcödé, 日本語のテキスト, emoji 🚀 and  double  spaces", "a".repeat(5_000));

        // when
        List<Integer> counts = texts.stream().map(counter::countText).toList();

        // then
        List<Integer> expected = texts.stream()
                .map(t -> REFERENCE.getEncoding(EncodingType.O200K_BASE).countTokens(t)).toList();
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void nullOrEmptyTextCountsZero() {
        // given / when / then
        assertThat(counter.countText(null)).isZero();
        assertThat(counter.countText("")).isZero();
    }

    @Test
    void specialTokenMarkersInTextAreCountedAsOrdinaryTextInsteadOfFailing() {
        // given
        String text = "the document ends with <|endoftext|> and <|im_start|>";

        // when
        int count = counter.countText(text);

        // then
        assertThat(count).isEqualTo(REFERENCE.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(text));
    }

    @Test
    void aSingleUserMessageCostsItsTextPlusMessageFramingAndReplyPriming() {
        // given
        JsonNode request = json("""
                {"model":"claude-sonnet-4-5","max_tokens":32000,
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(USER_TEXT));

        // when
        int count = counter.countRequest(request);

        // then
        assertThat(count).isEqualTo(counter.countText(USER_TEXT) + TokenCounter.MESSAGE_OVERHEAD
                + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void aStringContentAndTheSameTextAsATextBlockCountTheSame() {
        // given
        JsonNode asString = json("""
                {"messages":[{"role":"user","content":"%s"}]}""".formatted(USER_TEXT));
        JsonNode asBlock = json("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"%s"}]}]}""".formatted(USER_TEXT));

        // when / then
        assertThat(counter.countRequest(asBlock)).isEqualTo(counter.countRequest(asString));
    }

    @Test
    void aSystemStringAndTheSameSystemAsTextBlocksCountTheSame() {
        // given
        JsonNode asString = json("""
                {"system":"You are Claude Code. Be concise.",
                 "messages":[{"role":"user","content":"hi"}]}""");
        JsonNode asBlocks = json("""
                {"system":[{"type":"text","text":"You are Claude Code."},
                           {"type":"text","text":" Be concise.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"hi"}]}""");
        JsonNode without = json("""
                {"messages":[{"role":"user","content":"hi"}]}""");

        // when
        int fromString = counter.countRequest(asString);
        int fromBlocks = counter.countRequest(asBlocks);

        // then
        int systemTokens = counter.countText("You are Claude Code.") + counter.countText(" Be concise.");
        assertThat(fromBlocks).isEqualTo(counter.countRequest(without) + TokenCounter.MESSAGE_OVERHEAD + systemTokens);
        assertThat(fromString).isBetween(fromBlocks - 1, fromBlocks + 1);
    }

    @Test
    void systemRoleEntriesInsideMessagesAreCountedLikeAnyMessage() {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"system","content":"Stay in the repository."},
                             {"role":"user","content":"hi"}]}""");

        // when
        int count = counter.countRequest(request);

        // then
        assertThat(count).isEqualTo(2 * TokenCounter.MESSAGE_OVERHEAD + counter.countText("Stay in the repository.")
                + counter.countText("hi") + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void cacheControlAndRequestMetadataAreNotCounted() {
        // given
        JsonNode bare = json("""
                {"system":[{"type":"text","text":"sys"}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"%s"}]}]}""".formatted(USER_TEXT));
        JsonNode decorated = json("""
                {"model":"claude-opus-4-8","max_tokens":64000,"stream":true,"temperature":1,
                 "thinking":{"type":"enabled","budget_tokens":31999},"output_config":{"effort":"high"},
                 "context_management":{"edits":[]},"metadata":{"user_id":"{\\"device\\":\\"abc\\"}"},
                 "tool_choice":{"type":"auto"},
                 "system":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"%s",
                              "cache_control":{"type":"ephemeral"}}]}]}""".formatted(USER_TEXT));

        // when / then
        assertThat(counter.countRequest(decorated)).isEqualTo(counter.countRequest(bare));
    }

    @Test
    void toolsAddTheirNameDescriptionSchemaAndFraming() {
        // given
        String schema = "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},"
                + "\"required\":[\"command\"]}";
        JsonNode without = json("""
                {"messages":[{"role":"user","content":"list files"}]}""");
        JsonNode with = json("""
                {"messages":[{"role":"user","content":"list files"}],
                 "tools":[{"name":"Bash","description":"Runs a shell command.","input_schema":%s,
                           "cache_control":{"type":"ephemeral"}}]}""".formatted(schema));

        // when
        int added = counter.countRequest(with) - counter.countRequest(without);

        // then
        assertThat(added).isEqualTo(TokenCounter.TOOLS_PREAMBLE + TokenCounter.TOOL_OVERHEAD
                + counter.countText("Bash") + counter.countText("Runs a shell command.") + counter.countText(schema));
    }

    @Test
    void everyFurtherToolAddsMoreAndServerToolsWithoutSchemaStillCount() {
        // given
        JsonNode oneTool = json("""
                {"messages":[{"role":"user","content":"x"}],
                 "tools":[{"name":"Read","input_schema":{"type":"object"}}]}""");
        JsonNode withServerTool = json("""
                {"messages":[{"role":"user","content":"x"}],
                 "tools":[{"name":"Read","input_schema":{"type":"object"}},
                          {"type":"web_search_20250305","name":"web_search","max_uses":5}]}""");

        // when
        int added = counter.countRequest(withServerTool) - counter.countRequest(oneTool);

        // then
        assertThat(added).isEqualTo(TokenCounter.TOOL_OVERHEAD + counter.countText("web_search")
                + counter.countText("web_search_20250305"));
    }

    @Test
    void anImageOfUnknownSizeAddsTheFixedEstimate() {
        // given
        JsonNode textOnly = json("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"}]}]}""");
        JsonNode withImage = json("""
                {"messages":[{"role":"user","content":[
                   {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
                   {"type":"text","text":"what is this?"}]}]}""");

        // when
        int added = counter.countRequest(withImage) - counter.countRequest(textOnly);

        // then
        assertThat(added).isEqualTo(TokenCounterImages.MAX_TOKENS).isEqualTo(1600);
    }

    @Test
    void aBase64ImageOfKnownSizeAddsWidthTimesHeightOver750() {
        // given
        String png = TokenCounterImagesTest.base64Image("png", 300, 200);
        JsonNode textOnly = json("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"describe"}]}]}""");
        JsonNode withImage = json("""
                {"messages":[{"role":"user","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}},
                   {"type":"text","text":"describe"}]}]}""".formatted(png));

        // when
        int added = counter.countRequest(withImage) - counter.countRequest(textOnly);

        // then
        assertThat(added).isEqualTo(80); // 300 * 200 / 750
    }

    @Test
    void toolUseCountsItsNameAndJsonInputPlusCallFraming() {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"assistant","content":[
                   {"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"ls -la","timeout":1000}}]}]}""");

        // when
        int count = counter.countRequest(request);

        // then
        assertThat(count).isEqualTo(TokenCounter.MESSAGE_OVERHEAD + TokenCounter.TOOL_CALL_OVERHEAD
                + counter.countText("Bash") + counter.countText("{\"command\":\"ls -la\",\"timeout\":1000}")
                + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void toolResultsCountStringAndBlockContentAsAToolMessageOfTheirOwn() {
        // given
        String output = "total 8\ndrwxr-xr-x  2 me me 4096 .\n-rw-r--r--  1 me me  120 pom.xml";
        JsonNode asString = json("""
                {"messages":[{"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_01","content":%s}]}]}"""
                .formatted(Json.MAPPER.valueToTree(output).toString()));
        JsonNode asBlocks = json("""
                {"messages":[{"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_01","is_error":false,
                    "content":[{"type":"text","text":%s},
                               {"type":"image","source":{"type":"url","url":"https://example.com/x.png"}}]}]}]}"""
                .formatted(Json.MAPPER.valueToTree(output).toString()));

        // when
        int fromString = counter.countRequest(asString);
        int fromBlocks = counter.countRequest(asBlocks);

        // then
        assertThat(fromString).isEqualTo(2 * TokenCounter.MESSAGE_OVERHEAD + counter.countText(output)
                + TokenCounter.REPLY_PRIMING);
        assertThat(fromBlocks).isEqualTo(fromString + TokenCounterImages.MAX_TOKENS);
    }

    @Test
    void thinkingTextIsCountedAndOpaqueSignaturesAndRedactedThinkingAreNot() {
        // given
        String thought = "The user wants the tests first; I will read the parser.";
        JsonNode request = json("""
                {"messages":[{"role":"assistant","content":[
                   {"type":"thinking","thinking":"%s","signature":"EqQBCkgIARABGAIiQL2Zr"},
                   {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlx"}]}]}"""
                .formatted(thought));

        // when
        int count = counter.countRequest(request);

        // then
        assertThat(count).isEqualTo(TokenCounter.MESSAGE_OVERHEAD + counter.countText(thought)
                + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void documentsCountTheirTextAndPdfsAreEstimatedFromTheirBase64Size() {
        // given
        String pdf = "JVBERi0xLjQK" + "A".repeat(80_000);
        JsonNode textDocument = json("""
                {"messages":[{"role":"user","content":[{"type":"document","title":"Notes",
                   "source":{"type":"text","media_type":"text/plain","data":"Meeting at noon."}}]}]}""");
        JsonNode smallPdf = json("""
                {"messages":[{"role":"user","content":[{"type":"document",
                   "source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}}]}]}""");
        JsonNode largePdf = json("""
                {"messages":[{"role":"user","content":[{"type":"document",
                   "source":{"type":"base64","media_type":"application/pdf","data":"%s"}}]}]}""".formatted(pdf));
        int framing = TokenCounter.MESSAGE_OVERHEAD + TokenCounter.REPLY_PRIMING;

        // when / then
        assertThat(counter.countRequest(textDocument))
                .isEqualTo(framing + counter.countText("Notes") + counter.countText("Meeting at noon."));
        assertThat(counter.countRequest(smallPdf)).isEqualTo(framing + TokenCounter.PDF_MIN_TOKENS);
        assertThat(counter.countRequest(largePdf))
                .isEqualTo(framing + pdf.length() / TokenCounter.PDF_BASE64_CHARS_PER_TOKEN);
    }

    @Test
    void unknownBlockTypesDoNotThrowAndTheirTextIsCountedWithoutMetadata() {
        // given
        JsonNode request = json("""
                {"messages":[{"role":"user","content":[
                   {"type":"future_block","id":"blk_1","cache_control":{"type":"ephemeral"},
                    "body":"some words","nested":[{"note":"more words"}, 42, true, null]},
                   {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[
                    {"type":"web_search_result","title":"Title","url":"https://e.com",
                     "encrypted_content":"Eu8BCioIAhgB"}]}]}]}""");

        // when
        int count = counter.countRequest(request);

        // then
        assertThat(count).isEqualTo(TokenCounter.MESSAGE_OVERHEAD + counter.countText("some words")
                + counter.countText("more words") + counter.countText("Title") + counter.countText("https://e.com")
                + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void nullMissingAndOddlyShapedFieldsDoNotThrow() {
        // given
        List<String> odd = List.of("null", "[]", "\"text\"", "42", "{\"messages\":null}", "{\"messages\":{}}",
                "{\"messages\":[null, 1, \"bare string\", [], {}]}",
                "{\"messages\":[{\"role\":\"user\"}, {\"content\":null}, {\"content\":7}, {\"content\":{}}]}",
                "{\"messages\":[{\"content\":[null, 3, \"s\", [], {}, {\"type\":null}, {\"type\":\"text\"},"
                        + " {\"type\":\"text\",\"text\":5}, {\"type\":\"image\"}, {\"type\":\"image\",\"source\":7},"
                        + " {\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"%%%not base64\"}},"
                        + " {\"type\":\"document\"}, {\"type\":\"document\",\"source\":{\"type\":\"base64\"}},"
                        + " {\"type\":\"tool_use\"}, {\"type\":\"tool_use\",\"input\":\"{\\\"a\\\":1}\"},"
                        + " {\"type\":\"tool_result\"}, {\"type\":\"tool_result\",\"content\":[null,{}]},"
                        + " {\"type\":\"thinking\",\"thinking\":[]}, {\"type\":7}]}]}",
                "{\"system\":7,\"tools\":[null, 1, {}, {\"name\":3,\"input_schema\":null}]}",
                "{\"system\":[null, {\"text\":\"no type\"}],\"tools\":{}}");

        // when / then
        for (String body : odd) {
            JsonNode request = json(body);
            assertThatCode(() -> counter.countRequest(request)).as(body).doesNotThrowAnyException();
            assertThat(counter.countRequest(request)).as(body).isNotNegative();
        }
        assertThat(counter.countRequest(null)).isZero();
    }

    @Test
    void aRequestWithNothingToCountIsZeroAndAnyMessageMakesItPositive() {
        // given
        JsonNode empty = json("{}");
        JsonNode noMessages = json("{\"model\":\"claude-opus-4-8\",\"messages\":[],\"system\":\"\"}");
        JsonNode emptyMessage = json("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");

        // when / then
        assertThat(counter.countRequest(empty)).isZero();
        assertThat(counter.countRequest(noMessages)).isZero();
        assertThat(counter.countRequest(emptyMessage))
                .isEqualTo(TokenCounter.MESSAGE_OVERHEAD + TokenCounter.REPLY_PRIMING);
    }

    @Test
    void eachEncodingCountsWithItsOwnVocabulary() {
        // given
        String text = "Привет, мир! これは日本語の文章です。 function fooBar() { return 42; }";
        List<String> names = List.of("o200k_base", "cl100k_base", "p50k_base", "r50k_base");

        // when
        List<Integer> counts = names.stream().map(n -> new TokenCounter(n).countText(text)).toList();

        // then
        List<Integer> expected = names.stream()
                .map(n -> REFERENCE.getEncoding(EncodingType.fromName(n).orElseThrow()).countTokens(text)).toList();
        assertThat(counts).isEqualTo(expected);
        assertThat(counts.get(0)).isNotEqualTo(counts.get(1));
        assertThat(new TokenCounter("cl100k_base").encodingName()).isEqualTo("cl100k_base");
    }

    @Test
    void anUnknownEncodingIsRejected() {
        // given
        List<String> unknown = new ArrayList<>(List.of("gpt2", "O200K_BASE", "p50k_edit", "", " o200k_base"));
        unknown.add(null);

        // when / then
        for (String name : unknown) {
            assertThatThrownBy(() -> new TokenCounter(name)).as(String.valueOf(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("o200k_base, cl100k_base, p50k_base or r50k_base");
        }
    }

    @Test
    void aLargeClaudeCodeRequestCountedFiftyTimesGivesTheSameNumberEachTime() {
        // given
        JsonNode request = largeRequest();

        // when
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            counts.add(counter.countRequest(request));
        }

        // then
        assertThat(Set.copyOf(counts)).hasSize(1);
        assertThat(counts.get(0)).isGreaterThan(20_000);
    }

    @Test
    void severalThreadsCountingTheSameRequestGetTheSameNumber() throws Exception {
        // given
        JsonNode request = largeRequest();
        int expected = counter.countRequest(request);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tasks.add(() -> counter.countRequest(request));
        }

        // when
        List<Future<Integer>> results = pool.invokeAll(tasks);

        // then
        Set<Integer> counts = results.stream().map(TokenCounterTest::get).collect(Collectors.toSet());
        assertThat(counts).containsExactly(expected);
    }

    @Test
    void countersBuiltConcurrentlyForTheSameEncodingAgree() throws Exception {
        // given
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(50);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tasks.add(() -> new TokenCounter("p50k_base").countText(text));
        }

        // when
        List<Future<Integer>> results = pool.invokeAll(tasks);

        // then
        Set<Integer> counts = results.stream().map(TokenCounterTest::get).collect(Collectors.toSet());
        assertThat(counts).containsExactly(REFERENCE.getEncoding(EncodingType.P50K_BASE).countTokens(text));
    }

    @Test
    void absurdlyDeepNestingIsCutOffInsteadOfOverflowingTheStack() {
        // given
        ObjectNode innermost = JsonNodeFactory.instance.objectNode().put("type", "text").put("text", "deep");
        JsonNode block = innermost;
        for (int i = 0; i < 20_000; i++) {
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode().put("type", "tool_result");
            wrapper.putArray("content").add(block);
            block = wrapper;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.putArray("messages").addObject().put("role", "user").putArray("content").add(block);

        // when / then
        assertThatCode(() -> counter.countRequest(request)).doesNotThrowAnyException();
        assertThat(counter.countRequest(request)).isPositive();
    }

    @Test
    void givenALongTextCountedOnceWhenTheNextTurnResendsItThenItIsRememberedAndCountedTheSame() {
        // given
        TokenCounter fresh = new TokenCounter("o200k_base");
        String systemPrompt = "You are an interactive CLI tool that helps users with software engineering tasks. "
                .repeat(40);
        int first = fresh.countText(systemPrompt);

        // when
        int again = fresh.countText(new String(systemPrompt.toCharArray())); // a new request's own copy

        // then
        assertThat(again).isEqualTo(first)
                .isEqualTo(REFERENCE.getEncoding(EncodingType.O200K_BASE).countTokens(systemPrompt));
        assertThat(fresh.rememberedTextLength()).isGreaterThanOrEqualTo(systemPrompt.length())
                .isLessThan(2L * systemPrompt.length());
    }

    @Test
    void givenShortTextsWhenCountedThenNothingIsRemembered() {
        // given
        TokenCounter fresh = new TokenCounter("o200k_base");

        // when
        fresh.countText("a".repeat(TokenCounter.REMEMBERED_MIN_CHARS - 1));

        // then
        assertThat(fresh.rememberedTextLength()).isZero();
    }

    @Test
    void givenMoreLongTextsThanTheMemoryHoldsWhenCountedThenItStaysWithinItsBoundAndCountsStayExact() {
        // given
        TokenCounter small = new TokenCounter("o200k_base", 2_000);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add(("turn " + i + ": the tool returned these lines. ").repeat(8));
        }

        // when
        List<Integer> counts = new ArrayList<>();
        for (String text : texts) {
            counts.add(small.countText(text));
            assertThat(small.rememberedTextLength()).isLessThanOrEqualTo(2_000);
        }

        // then
        assertThat(counts).isEqualTo(texts.stream()
                .map(t -> REFERENCE.getEncoding(EncodingType.O200K_BASE).countTokens(t)).toList());
    }

    /** Shaped like Claude Code 2.1's requests: ~100 KB of conversation text, 25 tools, system blocks. */
    private static JsonNode largeRequest() {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("model", "claude-opus-4-8").put("max_tokens", 64000).put("stream", true);
        ArrayNode system = request.putArray("system");
        system.addObject().put("type", "text").put("text", "x-anthropic-billing-header: cc_version=2.1.0; cc_entrypoint=cli;");
        system.addObject().put("type", "text").put("text", "You are Claude Code, Anthropic's official CLI. ".repeat(40))
                .putObject("cache_control").put("type", "ephemeral");
        ArrayNode tools = request.putArray("tools");
        for (int i = 0; i < 25; i++) {
            ObjectNode tool = tools.addObject();
            tool.put("name", i < 5 ? "mcp__very_long_server_name_for_testing__tool_number_" + i : "Tool" + i);
            tool.put("description", ("Tool " + i + " does a useful thing with files and shells. ").repeat(20));
            ObjectNode schema = tool.putObject("input_schema").put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            for (int p = 0; p < 6; p++) {
                properties.putObject("param" + p).put("type", p % 2 == 0 ? "string" : "integer")
                        .put("description", "Parameter " + p + " of tool " + i);
            }
            schema.putArray("required").add("param0");
        }
        ArrayNode messages = request.putArray("messages");
        String paragraph = "The service reads its configuration, validates every key, and logs what it chose. ";
        for (int turn = 0; turn < 20; turn++) {
            ArrayNode user = messages.addObject().put("role", "user").putArray("content");
            user.addObject().put("type", "text").put("text", "<system-reminder>Turn " + turn + "</system-reminder>");
            if (turn > 0) {
                user.addObject().put("type", "tool_result").put("tool_use_id", "toolu_" + (turn - 1))
                        .put("content", paragraph.repeat(30));
            }
            user.addObject().put("type", "text").put("text", paragraph.repeat(30));
            ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
            assistant.addObject().put("type", "thinking").put("thinking", "Let me look. ").put("signature", "sig");
            assistant.addObject().put("type", "text").put("text", "I will run a command.");
            ObjectNode use = assistant.addObject().put("type", "tool_use").put("id", "toolu_" + turn)
                    .put("name", "Bash");
            use.putObject("input").put("command", "grep -rn needle src/ | head -" + turn);
        }
        return request;
    }

    private static Integer get(Future<Integer> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
