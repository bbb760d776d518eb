package io.llmgateway.web;

import io.llmgateway.testing.Browser;
import java.net.URI;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The chat page as its tests use it: what a person does, and what they see. */
final class ChatPage {
    private final Browser browser;
    private final URI uri;

    ChatPage(Browser browser, URI uri) {
        this.browser = browser;
        this.uri = uri;
    }

    /** Opens the page and waits until it has loaded its settings and models. */
    ChatPage open() {
        browser.open(uri);
        return waitUntilReady();
    }

    ChatPage reload() {
        browser.driver().navigate().refresh();
        return waitUntilReady();
    }

    ChatPage waitUntilReady() {
        browser.waitUntil("the chat page to be ready", d -> "true".equals(browser.find("#app").getAttribute("data-ready")));
        return this;
    }

    /** Forgets everything the page stored in this browser (conversations, preferences, API key). */
    void forgetStoredData() {
        browser.js("localStorage.clear(); sessionStorage.clear();");
    }

    void type(CharSequence... keys) {
        browser.find("#prompt").sendKeys(keys);
    }

    /** Types the text and presses Enter. */
    void send(String text) {
        type(text, Keys.ENTER);
    }

    /** Sends and waits until the answer is complete (or stopped, or failed). */
    WebElement ask(String text) {
        int before = answers().size();
        send(text);
        browser.waitUntil("a new answer", d -> answers().size() > before);
        return waitForAnswer();
    }

    WebElement waitForAnswer() {
        browser.waitUntil("the answer to finish", d -> !"streaming".equals(lastAnswer().getAttribute("data-state"))
                && "false".equals(browser.find("#composer").getAttribute("data-streaming")));
        return lastAnswer();
    }

    List<WebElement> answers() {
        return browser.findAll("#messages .message.assistant");
    }

    List<WebElement> questions() {
        return browser.findAll("#messages .message.user");
    }

    List<String> questionTexts() {
        return questions().stream().map(q -> q.findElement(By.cssSelector(".content")).getText()).toList();
    }

    WebElement lastAnswer() {
        List<WebElement> answers = answers();
        return answers.get(answers.size() - 1);
    }

    String lastAnswerText() {
        return lastAnswer().findElement(By.cssSelector(".content")).getText();
    }

    String lastAnswerState() {
        return lastAnswer().getAttribute("data-state");
    }

    void stop() {
        browser.find("#stop").click();
    }

    Select modelPicker() {
        return new Select(browser.find("#model"));
    }

    List<String> conversationTitles() {
        return browser.findAll("#conversations .conversation .title").stream().map(WebElement::getText).toList();
    }

    WebElement conversation(String title) {
        return browser.findAll("#conversations .conversation").stream()
                .filter(item -> item.findElement(By.cssSelector(".title")).getText().equals(title))
                .findFirst().orElseThrow(() -> new AssertionError("no conversation titled " + title));
    }

    void newChat() {
        browser.find("#new-chat").click();
    }

    String toast() {
        return browser.waitUntil("a notice", d -> {
            WebElement toast = browser.find("#toast");
            return toast.isDisplayed() && !toast.getText().isBlank() ? toast.getText() : null;
        });
    }
}
