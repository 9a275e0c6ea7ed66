package dev.projectdashboard.e2e.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One headless Chromium per test class (quit after it), given to tests as a {@link WebDriver} parameter; after each
 * test, passed or failed, a screenshot of what the page showed goes to {@code target/screenshots/<class>.<test>.png}.
 * With {@code E2E_BROWSER=skip} the classes using it are skipped, and reported as such.
 */
public final class BrowserExtension implements ExecutionCondition, ParameterResolver, AfterTestExecutionCallback {

    static final String SCREENSHOTS_PROPERTY = "e2e.screenshots";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(BrowserExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Chromium.skipped()
                ? ConditionEvaluationResult.disabled(Chromium.SWITCH + "=skip: no browser tests on this machine")
                : ConditionEvaluationResult.enabled("browser tests run unless " + Chromium.SWITCH + "=skip");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WebDriver.class;
    }

    @Override
    public WebDriver resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return browser(context).driver;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Browser browser = classStore(context).get(Browser.class, Browser.class);
        if (browser == null) {
            return;
        }
        Path target = screenshots()
                .resolve(context.getRequiredTestClass().getSimpleName() + "."
                        + context.getRequiredTestMethod().getName() + ".png");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(
                    browser.driver.getScreenshotAs(OutputType.FILE).toPath(),
                    target,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot " + target, e);
        }
    }

    private static Browser browser(ExtensionContext context) {
        return classStore(context)
                .computeIfAbsent(
                        Browser.class,
                        key -> {
                            Path profile = Chromium.freshProfile(screenshots().resolveSibling("chromium"));
                            return new Browser(Chromium.start(profile), profile);
                        },
                        Browser.class);
    }

    /** The class's store: the browser lives as long as the class's tests and is quit after them. */
    private static ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE);
    }

    private static Path screenshots() {
        return Path.of(System.getProperty(SCREENSHOTS_PROPERTY, "target/screenshots"));
    }

    private record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            driver.quit();
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
