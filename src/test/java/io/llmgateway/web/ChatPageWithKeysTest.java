package io.llmgateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.Browser;
import io.llmgateway.testing.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The chat page deployed as Tomcat deploys the WAR, under {@code /llm-gateway}, with {@code GATEWAY_API_KEYS}
 * set: the page asks for a key on the first 401, keeps it for the browser session, and every URL it uses is
 * relative to where it was served from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatPageWithKeysTest {
    private static final String KEY = "sk-chat-page-test";

    private GatewayServer gateway;
    private Browser browser;
    private ChatPage page;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) {
        gateway = GatewayServer.startAt("/llm-gateway", Map.of(
                "GATEWAY_ENV_FILE", dir.resolve(".env").toString(),
                "GATEWAY_API_KEYS", "browser=" + KEY));
        browser = Browser.start();
        page = new ChatPage(browser, gateway.base());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void freshBrowserSession() {
        browser.open(gateway.uri("health"));
        browser.js("localStorage.clear(); sessionStorage.clear();");
    }

    @Test
    void asksForTheKeyOnceAndKeepsItForTheBrowserSession() {
        // given
        URI withoutSlash = URI.create(gateway.base().toString().replaceAll("/$", ""));

        // when
        browser.open(withoutSlash);

        // then
        browser.waitUntil("the key prompt", d -> browser.find("#key-dialog").isDisplayed());
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(gateway.base().toString());
        assertThat(browser.find("#key-message").getText()).contains("Missing API key");
        browser.screenshot("key-prompt");

        // when
        browser.find("#key-input").sendKeys("not-the-key", Keys.ENTER);

        // then
        browser.waitUntil("the refusal", d -> browser.find("#key-message").getText().startsWith("The key was refused"));
        assertThat(browser.find("#key-message").getText()).contains("Invalid API key");

        // when
        browser.find("#key-input").sendKeys(KEY, Keys.ENTER);

        // then
        page.waitUntilReady();
        assertThat(browser.find("#key-dialog").isDisplayed()).isFalse();
        assertThat(page.modelPicker().getOptions()).extracting(o -> o.getText())
                .containsExactly("demo-model", "demo-model-mini");
        assertThat(page.ask("Hello behind a key").getAttribute("data-state")).isEqualTo("done");
        assertThat(page.lastAnswerText()).contains("You said: «Hello behind a key»");

        // when
        page.reload();

        // then
        assertThat(browser.find("#key-dialog").isDisplayed()).isFalse();
        assertThat(page.questionTexts()).containsExactly("Hello behind a key");
        assertThat(page.ask("Still there?").getAttribute("data-state")).isEqualTo("done");
        assertThat((String) browser.js("return sessionStorage.getItem('llm-gateway-key:/llm-gateway/')")).isEqualTo(KEY);
    }

    @Test
    void withoutAKeyTheGatewaysRefusalIsShownWhereTheAnswerWouldBe() {
        // given
        browser.open(gateway.base());
        browser.waitUntil("the key prompt", d -> browser.find("#key-dialog").isDisplayed());
        browser.find("#key-cancel").click();
        page.waitUntilReady();

        // when
        page.send("Anyone there?");
        browser.waitUntil("the key prompt again", d -> browser.find("#key-dialog").isDisplayed());
        browser.find("#key-cancel").click();

        // then
        browser.waitUntil("the answer to fail", d -> "error".equals(page.lastAnswerState()));
        assertThat(page.lastAnswer().findElement(By.cssSelector(".error")).getText())
                .isEqualTo("Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'. (HTTP 401)");
        assertThat(page.lastAnswer().findElements(By.cssSelector(".regenerate"))).hasSize(1);
        browser.screenshot("key-refused-inline-error");
    }

    @Test
    void thePageAndItsLibrariesAreServedUnderTheContextPathWhileTheApiStaysBehindTheKey() throws Exception {
        // given
        List<String> assets = List.of("", "chat/app.js", "chat/chat.css", "chat/icon.svg",
                "webjars/marked/16.1.1/lib/marked.esm.js", "webjars/dompurify/3.3.1/dist/purify.es.mjs",
                "webjars/highlightjs/11.11.1/highlight.min.js",
                "webjars/highlightjs/11.11.1/styles/github.min.css");

        // when
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(gateway.base())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> withoutKey = get("v1/gateway/chat-defaults", null);
        HttpResponse<String> withKey = get("v1/gateway/chat-defaults", KEY);

        // then
        assertThat(head.statusCode()).isEqualTo(200);
        for (String asset : assets) {
            HttpResponse<String> response = get(asset, null);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            if (asset.endsWith("js")) {
                assertThat(response.headers().firstValue("content-type")).as(asset).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/javascript"));
            }
        }
        assertThat(withoutKey.statusCode()).isEqualTo(401);
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withKey.body()).isEqualTo(
                "{\"system_prompt\":\"You are a helpful assistant.\",\"temperature\":0.7,\"model\":\"demo-model\"}");
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
