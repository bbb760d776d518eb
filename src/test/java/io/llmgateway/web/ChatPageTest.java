package io.llmgateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import io.llmgateway.testing.Browser;
import io.llmgateway.testing.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The chat page in headless Chromium against the WAR on embedded Jetty in demo mode (the simulated upstream
 * the WAR carries), at the root context. The demo's scripted answers ({@code demo:long}, {@code demo:markup})
 * give a long stream to stop and markup that must stay text. Screenshots land in target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatPageTest {
    private static final String LONG_END = "End of the long answer.";

    private Path dir;
    private Path downloads;
    private GatewayServer gateway;
    private Browser browser;
    private ChatPage page;
    private final DemoStreamLog demoLog = new DemoStreamLog();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        downloads = tempDir.resolve("downloads");
        gateway = GatewayServer.start(Map.of("GATEWAY_ENV_FILE", dir.resolve(".env").toString()));
        browser = Browser.start(downloads);
        page = new ChatPage(browser, gateway.base());
        demoLog.attach();
    }

    @AfterAll
    void stop() {
        demoLog.detach();
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void freshPage() {
        browser.resize(1280, 860);
        page.open();
        page.forgetStoredData();
        page.reload();
        browser.consoleErrors(); // start each test with an empty console
    }

    @AfterEach
    void noScriptErrors(TestInfo test) {
        assertThat(browser.consoleErrors()).as("console errors in %s", test.getDisplayName()).isEmpty();
    }

    @Test
    void anAnswerStreamsIntoThePageAsItArrives() {
        // when
        page.send("Count slowly for me, demo:long");

        // then
        String partial = browser.waitUntil("part of the answer on screen while it streams", d ->
                "streaming".equals(page.lastAnswerState()) && page.lastAnswerText().contains(" 10 ")
                        ? page.lastAnswerText() : null);
        browser.screenshot("chat-streaming");
        assertThat(partial).doesNotContain(LONG_END);
        page.waitForAnswer();
        assertThat(page.lastAnswerState()).isEqualTo("done");
        assertThat(page.lastAnswerText()).contains("Simulated").contains(" 399 400").endsWith(LONG_END);
        assertThat(page.questionTexts()).containsExactly("Count slowly for me, demo:long");
    }

    @Test
    void markdownAndCodeAreRenderedWithCopyButtonsAndATitleFromTheModel() {
        // when
        WebElement answer = page.ask("Hello gateway, show me some markdown");

        // then
        WebElement content = answer.findElement(By.cssSelector(".content"));
        assertThat(content.findElements(By.cssSelector("li"))).hasSize(3);
        assertThat(content.findElement(By.cssSelector("strong")).getText()).isEqualTo("bold");
        assertThat(content.findElement(By.cssSelector(".code-block .code-language")).getText()).isEqualTo("java");
        assertThat(content.findElements(By.cssSelector(".code-block code.hljs span[class^='hljs-']"))).isNotEmpty();
        assertThat(content.findElements(By.cssSelector(".code-block .copy-code"))).hasSize(1);
        assertThat(answer.findElements(By.cssSelector(".actions .copy-answer"))).hasSize(1);
        assertThat(answer.findElement(By.cssSelector(".meta .model")).getText()).isEqualTo("demo-model");
        browser.waitUntil("the title the model wrote", d -> page.conversationTitles()
                .equals(List.of("Demo · Hello gateway show me")));
        assertThat(browser.find("#chat-title").getText()).isEqualTo("Demo · Hello gateway show me");
        browser.screenshot("chat-answer");

        // when
        browser.js("window.copied = []; navigator.clipboard.writeText = text => { window.copied.push(text); "
                + "return Promise.resolve(); };");
        page.lastAnswer().findElement(By.cssSelector(".copy-code")).click();
        page.lastAnswer().findElement(By.cssSelector(".copy-answer")).click();

        // then
        browser.waitUntil("both copied", d -> browser.<List<?>>js("return window.copied").size() == 2);
        List<?> copied = browser.js("return window.copied");
        assertThat(copied.get(0)).isEqualTo("System.out.println(\"Hello from the demo upstream\");");
        assertThat((String) copied.get(1)).startsWith("(Simulated answer").contains("```java");
        assertThat(page.lastAnswer().findElement(By.cssSelector(".copy-answer")).getText()).isEqualTo("Copied");
    }

    @Test
    void stopCancelsTheAnswerAllTheWayToTheUpstream() {
        // given
        int cancelledBefore = demoLog.clientsLeft();
        page.send("Please go on and on, demo:long");
        browser.waitUntil("the answer to be streaming", d -> page.lastAnswerText().contains(" 20 "));

        // when
        page.stop();

        // then
        browser.waitUntil("the answer marked stopped", d -> "stopped".equals(page.lastAnswerState()));
        browser.waitUntil("the demo upstream to see its client leave", d -> demoLog.clientsLeft() > cancelledBefore);
        String shown = page.lastAnswerText();
        assertThat(shown).contains(" 20 ").doesNotContain(LONG_END);
        assertThat(page.lastAnswer().findElement(By.cssSelector(".tag.stopped")).getText()).isEqualTo("stopped");
        assertThat(browser.find("#send").isDisplayed()).isTrue();
        assertThat(browser.find("#stop").isDisplayed()).isFalse();
        browser.waitUntil("no request left in flight at the gateway", d -> inFlight() == 0);
        assertThat(page.lastAnswerText()).isEqualTo(shown);
        browser.screenshot("chat-stopped");
    }

    @Test
    void theModelPickerSwitchesModelsAndRemembersTheChoice() {
        // given
        assertThat(page.modelPicker().getOptions()).extracting(WebElement::getText)
                .containsExactly("demo-model", "demo-model-mini");
        assertThat(page.modelPicker().getFirstSelectedOption().getText()).isEqualTo("demo-model");

        // when
        page.modelPicker().selectByValue("demo-model-mini");
        WebElement mini = page.ask("Which model answers?");

        // then
        assertThat(mini.findElement(By.cssSelector(".meta .model")).getText()).isEqualTo("demo-model-mini");

        // when
        browser.find("#refresh-models").click();

        // then
        assertThat(page.toast()).isEqualTo("2 models available");
        page.modelPicker().selectByValue("demo-model");
        WebElement full = page.ask("And now?");
        assertThat(full.findElement(By.cssSelector(".meta .model")).getText()).isEqualTo("demo-model");
        page.reload();
        assertThat(page.modelPicker().getFirstSelectedOption().getText()).isEqualTo("demo-model");
        assertThat(page.answers()).extracting(a -> a.findElement(By.cssSelector(".meta .model")).getText())
                .containsExactly("demo-model-mini", "demo-model");
    }

    @Test
    void editingAnEarlierMessageResendsItAndDropsWhatFollowed() {
        // given
        page.ask("first question");
        page.ask("second question");

        // when
        page.questions().get(0).findElement(By.cssSelector(".edit-message")).click();
        WebElement editor = browser.find("#messages .edit-input");
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "edited question", Keys.ENTER);
        browser.waitUntil("the edited question to be answered", d -> page.questions().size() == 1
                && !"streaming".equals(page.lastAnswerState()));

        // then
        assertThat(page.questionTexts()).containsExactly("edited question");
        assertThat(page.answers()).hasSize(1);
        assertThat(page.lastAnswerText()).contains("You said: «edited question»");
        page.reload();
        assertThat(page.questionTexts()).containsExactly("edited question");
    }

    @Test
    void regenerateReplacesTheLastAnswer() {
        // given
        String first = page.ask("say it twice").getAttribute("data-id");

        // when
        page.lastAnswer().findElement(By.cssSelector(".regenerate")).click();

        // then
        browser.waitUntil("a new answer in place of the old", d -> !first.equals(page.lastAnswer().getAttribute("data-id"))
                && "done".equals(page.lastAnswerState()));
        assertThat(page.answers()).hasSize(1);
        assertThat(page.lastAnswerText()).contains("You said: «say it twice»");
    }

    @Test
    void conversationsSurviveAReloadAndCanBeSwitchedRenamedAndDeleted() {
        // given
        page.ask("Remember the first conversation");
        browser.waitUntil("a title for the first", d -> page.conversationTitles().contains("Demo · Remember the first conversation"));
        page.newChat();
        page.ask("Second one, about trains");
        browser.waitUntil("a title for the second", d -> page.conversationTitles().contains("Demo · Second one about trains"));

        // when
        page.reload();

        // then
        assertThat(page.conversationTitles())
                .containsExactly("Demo · Second one about trains", "Demo · Remember the first conversation");
        assertThat(page.questionTexts()).containsExactly("Second one, about trains");

        // when
        page.conversation("Demo · Remember the first conversation").findElement(By.cssSelector(".open")).click();

        // then
        assertThat(page.questionTexts()).containsExactly("Remember the first conversation");
        assertThat(page.conversationTitles()).first().isEqualTo("Demo · Remember the first conversation");

        // when
        page.conversation("Demo · Remember the first conversation").findElement(By.cssSelector(".rename")).click();
        WebElement input = browser.find("#conversations .rename-input");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Kept for later", Keys.ENTER);
        page.conversation("Demo · Second one about trains").findElement(By.cssSelector(".delete")).click();
        browser.find("#conversations .confirm-delete").click();
        page.reload();

        // then
        assertThat(page.conversationTitles()).containsExactly("Kept for later");
        assertThat(page.questionTexts()).containsExactly("Remember the first conversation");
        assertThat(page.answers()).hasSize(1);
        browser.screenshot("chat-conversations");
    }

    @Test
    void markupInAModelAnswerIsShownAsTextAndNeverRuns() {
        // when
        WebElement answer = page.ask("Send me some markup, demo:markup");

        // then
        WebElement content = answer.findElement(By.cssSelector(".content"));
        assertThat(content.getText())
                .contains("<img src=x onerror=\"window.demoInjected=true\">")
                .contains("<script>window.demoInjected=true</script>")
                .contains("<b onmouseover=\"window.demoInjected=true\">bold?</b>");
        assertThat(browser.findAll("#messages img, #messages script, #messages [onerror], #messages [onmouseover]"))
                .isEmpty();
        assertThat(content.findElements(By.cssSelector("a[href^='javascript']"))).isEmpty();
        new Actions(browser.driver()).moveToElement(content).perform(); // a hover would fire onmouseover
        assertThat((Object) browser.js("return window.demoInjected")).isNull();
        browser.screenshot("chat-markup-as-text");
    }

    @Test
    void enterSendsAndShiftEnterStartsANewLine() {
        // when
        page.type("line one", Keys.chord(Keys.SHIFT, Keys.ENTER), "line two");

        // then
        assertThat(page.questions()).isEmpty();
        assertThat(browser.find("#prompt").getAttribute("value")).isEqualTo("line one\nline two");

        // when
        page.type(Keys.ENTER);

        // then
        browser.waitUntil("the message sent", d -> page.questions().size() == 1);
        assertThat(page.questionTexts()).containsExactly("line one\nline two");
        assertThat(browser.find("#prompt").getAttribute("value")).isEmpty();
        page.waitForAnswer();
    }

    @Test
    void showsTheGatewayModeAndTokenHealth() {
        // then
        browser.waitUntil("the mode from /health", d -> "Demo".equals(browser.find("#mode-pill").getText()));
        assertThat(browser.find("#demo-banner").getText()).contains("simulated");
        assertThat(browser.find("#mode-badge").getText()).isEqualTo("Demo");
        assertThat(browser.find("#token-status").getText()).startsWith("token");
        assertThat(browser.find("#gateway-status").getAttribute("data-level")).isEqualTo("good");
    }

    @Test
    void settingsStartFromTheGatewayDefaultsAndStayWithTheConversation() {
        // given
        browser.find("#toggle-settings").click();
        assertThat(browser.find("#system-prompt").getAttribute("value")).isEqualTo("You are a helpful assistant.");
        assertThat(browser.find("#temperature").getAttribute("value")).isEqualTo("0.7");

        // when
        WebElement prompt = browser.find("#system-prompt");
        prompt.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Answer like a pirate.");
        browser.find("#temperature").sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        page.ask("Ahoy");
        page.reload();
        browser.find("#toggle-settings").click();

        // then
        assertThat(browser.find("#system-prompt").getAttribute("value")).isEqualTo("Answer like a pirate.");
        assertThat(browser.find("#temperature-value").getText()).isEqualTo("0.80");
        browser.screenshot("chat-settings");
    }

    @Test
    void conversationsExportToAJsonFileAndImportFromIt() throws Exception {
        // given
        page.ask("Keep this one");
        browser.waitUntil("its title", d -> page.conversationTitles().equals(List.of("Demo · Keep this one")));

        // when
        browser.find("#export").click();

        // then
        Path exported = browser.waitUntil("the export in the downloads", d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().matches("llm-gateway-chats-.*\\.json")).findFirst()
                        .orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        JsonNode json = Json.MAPPER.readTree(exported.toFile());
        assertThat(json.path("format").asText()).isEqualTo("llm-gateway-chat");
        assertThat(json.path("conversations")).hasSize(1);
        assertThat(json.path("conversations").get(0).path("messages").get(0).path("content").asText())
                .isEqualTo("Keep this one");

        // when
        page.forgetStoredData();
        page.reload();
        assertThat(page.conversationTitles()).containsExactly("New chat");
        browser.find("#import-file").sendKeys(exported.toAbsolutePath().toString());

        // then
        assertThat(page.toast()).isEqualTo("Imported 1 conversation");
        page.conversation("Demo · Keep this one").findElement(By.cssSelector(".open")).click();
        assertThat(page.questionTexts()).containsExactly("Keep this one");
        assertThat(page.answers()).hasSize(1);
    }

    @Test
    void onAPhoneTheListIsADrawer() {
        // given
        browser.resize(390, 844);
        page.reload();

        // when
        page.ask("Hello from a phone");

        // then
        assertThat(browser.find("#sidebar").getRect().getX() + browser.find("#sidebar").getRect().getWidth())
                .isLessThanOrEqualTo(0);
        assertThat(browser.find("#open-sidebar").isDisplayed()).isTrue();
        browser.screenshot("phone-chat");

        // when
        browser.find("#open-sidebar").click();

        // then
        browser.waitUntil("the drawer open", d -> browser.find("#sidebar").getRect().getX() >= 0);
        browser.screenshot("phone-conversations");
        browser.find("#close-sidebar").click();
        browser.waitUntil("the drawer closed", d -> browser.find("#sidebar").getRect().getX() < 0);
    }

    @Test
    void followsADarkColourScheme() {
        // given
        browser.colorScheme("dark");

        // when
        page.ask("Hello in the dark");

        // then
        try {
            assertThat((String) browser.js("return getComputedStyle(document.body).backgroundColor"))
                    .isEqualTo("rgb(21, 23, 28)");
            browser.screenshot("chat-dark");
        } finally {
            browser.colorScheme("light");
        }
    }

    private int inFlight() {
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(gateway.uri("health")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(health.body());
            return body.path("load").path("requests_in_flight").asInt(-1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the demo upstream's "client left during a demo stream" messages: a cancelled stream reached it. */
    private static final class DemoStreamLog extends Handler {
        private static final Logger DEMO = Logger.getLogger("io.llmgateway.demo.DemoUpstreamServlet");
        private final List<String> left = new CopyOnWriteArrayList<>();
        private Level before;

        void attach() {
            before = DEMO.getLevel();
            DEMO.setLevel(Level.FINE);
            DEMO.addHandler(this);
        }

        void detach() {
            DEMO.removeHandler(this);
            DEMO.setLevel(before);
        }

        int clientsLeft() {
            return left.size();
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith("Client left during a demo stream")) {
                left.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
