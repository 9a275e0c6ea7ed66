package dev.projectdashboard.e2e.browser;

import dev.projectdashboard.e2e.suite.RunningSuite;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page through the gateway, read through its DOM contract: {@code #connection-state[data-state]}, the
 * sections and their {@code data-*} rows, {@code <progress>} bars, the upload form. Waits are WebDriver waits on what
 * the page shows, never sleeps.
 */
public final class DashboardPage {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private static final String MARKER = "e2eNoReloadMarker";

    private final WebDriver browser;
    private final RunningSuite suite;

    public DashboardPage(WebDriver browser, RunningSuite suite) {
        this.browser = browser;
        this.suite = suite;
    }

    /**
     * Opens the page as {@code ./dashboard up} prints it ({@code ?token=}), waits until its WebSocket is connected,
     * and marks the document so {@link #assertNotReloaded()} can tell it was never loaded again.
     */
    public DashboardPage open(String token) {
        browser.get(suite.page(token).toString());
        awaitConnected();
        ((JavascriptExecutor) browser).executeScript("window." + MARKER + " = true;");
        return this;
    }

    /** Opens the page without a token (and none kept from an earlier test) and signs in through its form. */
    public DashboardPage signIn(String token) {
        browser.get(suite.url("/").toString());
        ((JavascriptExecutor) browser).executeScript("window.sessionStorage.clear(); window.localStorage.clear();");
        browser.get(suite.url("/").toString());
        await("the sign-in form", b -> visible(By.id("token-input")));
        browser.findElement(By.id("token-input")).sendKeys(token);
        browser.findElement(By.id("sign-in-button")).click();
        awaitConnected();
        return this;
    }

    public void awaitConnected() {
        await(
                "#connection-state[data-state=connected]",
                b -> present(By.cssSelector("#connection-state[data-state='connected']")));
    }

    /** The one element the selector finds, waiting for it to appear. */
    public WebElement awaitElement(String description, By selector) {
        return await(description, b -> {
            List<WebElement> found = b.findElements(selector);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Waits for {@code attribute} of the element the selector finds to have the value. */
    public WebElement awaitAttribute(By selector, String attribute, String value) {
        return await(selector + " with " + attribute + "=" + value, b -> {
            for (WebElement element : b.findElements(selector)) {
                if (value.equals(element.getDomAttribute(attribute))
                        || value.equals(element.getDomProperty(attribute))) {
                    return element;
                }
            }
            return null;
        });
    }

    /** Waits for a toast ({@code #toasts .toast}) whose text holds all the given parts. */
    public WebElement awaitToast(String... parts) {
        return await("a toast saying " + String.join(" … ", parts), b -> {
            for (WebElement toast : b.findElements(By.cssSelector("#toasts .toast"))) {
                String text = toast.getText();
                if (Arrays.stream(parts).allMatch(text::contains)) {
                    return toast;
                }
            }
            return null;
        });
    }

    /** Waits until a condition on the page holds; on timeout the message names it and what the page says. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "The page did not show " + what + " within " + WAIT + "; connection state " + connectionState()
                            + ", toasts " + toasts() + ", page text:\n" + text(),
                    e);
        }
    }

    /** The value of a {@code <progress>}: the element itself, or the first inside it. */
    public static double progressOf(WebElement element) {
        return Double.parseDouble(progressBar(element).getDomProperty("value"));
    }

    /** The {@code max} of a {@code <progress>}: the element itself, or the first inside it. */
    public static double progressMaxOf(WebElement element) {
        return Double.parseDouble(progressBar(element).getDomProperty("max"));
    }

    private static WebElement progressBar(WebElement element) {
        return "progress".equalsIgnoreCase(element.getTagName())
                ? element
                : element.findElement(By.tagName("progress"));
    }

    /** Fails when the document was loaded again since {@link #open}: what appeared came live, over the socket. */
    public void assertNotReloaded() {
        Object marker = ((JavascriptExecutor) browser).executeScript("return window." + MARKER + " === true;");
        if (!Boolean.TRUE.equals(marker)) {
            throw new AssertionError("The page was reloaded since it was opened");
        }
    }

    public WebDriver browser() {
        return browser;
    }

    private String connectionState() {
        List<WebElement> state = browser.findElements(By.id("connection-state"));
        return state.isEmpty() ? "(no #connection-state)" : state.get(0).getDomAttribute("data-state");
    }

    private List<String> toasts() {
        return browser.findElements(By.cssSelector("#toasts .toast")).stream()
                .map(WebElement::getText)
                .collect(Collectors.toList());
    }

    private String text() {
        List<WebElement> body = browser.findElements(By.tagName("body"));
        return body.isEmpty() ? "" : body.get(0).getText();
    }

    private boolean present(By selector) {
        return !browser.findElements(selector).isEmpty();
    }

    private boolean visible(By selector) {
        return browser.findElements(selector).stream().anyMatch(WebElement::isDisplayed);
    }
}
