package dev.projectdashboard.gateway.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard page as a browser loads it, without a token: index.html, every asset it references and every ES
 * module those import, each with a content type the browser accepts; and the shape the gateway's Content Security
 * Policy ({@code script-src 'self'; style-src 'self'}) needs: no inline script, style or event handler.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT20S")
@DevelopmentSecrets
class DashboardPageTests {

    private static final String PAGE = "/project-dashboard/";
    private static final String ASSETS = "classpath:static/project-dashboard/assets/**";
    /** src and href attributes of the page; fragments, queries and absolute URLs are not assets */
    private static final Pattern REFERENCE =
            Pattern.compile("\\s(?:src|href)=\"(?!https?:|#|mailto:|data:)([^\"#?]+)\"");
    /** static imports and re-exports of an ES module ({@code import … from './x.js'}, {@code import './x.js'}) */
    private static final Pattern IMPORT = Pattern.compile(
            "^\\s*(?:import|export)\\b[^'\"]*?(?:from\\s*)?['\"](\\.{1,2}/[^'\"]+)['\"]", Pattern.MULTILINE);

    private static final Map<String, MediaType> TYPES = Map.of(
            "js", MediaType.valueOf("text/javascript"),
            "css", MediaType.valueOf("text/css"),
            "svg", MediaType.valueOf("image/svg+xml"));

    @Autowired
    private WebTestClient client;

    @Test
    void servesThePageWithoutAToken() {
        String page = get(PAGE, MediaType.TEXT_HTML);
        assertThat(page).contains("<title>Project Dashboard</title>").contains("<script type=\"module\"");
    }

    @Test
    void servesEveryAssetThePageLoadsAndEveryModuleTheyImport() throws IOException {
        Map<String, String> served = crawl();
        assertThat(served)
                .containsKeys(
                        PAGE + "assets/app.js",
                        PAGE + "assets/app.css",
                        PAGE + "assets/realtime.js",
                        PAGE + "assets/favicon.svg");
        // and nothing under assets/ is left that the page never loads
        assertThat(served.keySet()).containsAll(assetFiles());
    }

    @Test
    void pageHasNoInlineScriptStyleOrEventHandler() {
        String page = get(PAGE, MediaType.TEXT_HTML);
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(page).doesNotContainPattern("<style[\\s>]");
        assertThat(page).doesNotContainPattern("<[^>]*\\sstyle\\s*=");
        assertThat(page).doesNotContainPattern("<[^>]*\\son[a-z]+\\s*=");
        assertThat(page).doesNotContainIgnoringCase("javascript:");
    }

    @Test
    void scriptsNeitherParseHtmlNorWriteStyleAttributes() throws IOException {
        for (Map.Entry<String, String> asset : crawl().entrySet()) {
            if (asset.getKey().endsWith(".js")) {
                // event data goes into the page as text only, and the CSP refuses style attributes anyway
                assertThat(asset.getValue())
                        .as(asset.getKey())
                        .doesNotContain("innerHTML")
                        .doesNotContain("outerHTML")
                        .doesNotContain("insertAdjacentHTML")
                        .doesNotContain("document.write")
                        .doesNotContainPattern("setAttribute\\(\\s*['\"]style['\"]")
                        .doesNotContainPattern("\\beval\\(|new Function\\(");
            }
        }
    }

    @Test
    void keepsTheElementsTheBrowserTestsFindThePanelsBy() {
        String page = get(PAGE, MediaType.TEXT_HTML);
        assertThat(page)
                .containsPattern("<p id=\"connection-state\"[^>]*\\sdata-state=\"disconnected\"")
                .containsPattern("<input id=\"token-input\"")
                .containsPattern("<button type=\"submit\" id=\"sign-in-button\"")
                .containsPattern("<input type=\"file\" id=\"file-input\"")
                .containsPattern("<input id=\"upload-task-id\"")
                .containsPattern("<button type=\"submit\" id=\"upload-button\"")
                .containsPattern("<progress id=\"upload-progress\" max=\"100\"")
                .containsPattern("<ul id=\"files-list\"")
                .containsPattern("<ol id=\"webhook-activity\"")
                .containsPattern("<div id=\"toasts\"[^>]*\\saria-live=\"polite\"");
        for (String section : new String[] {"deployments", "devices", "tasks", "files", "webhooks", "system"}) {
            assertThat(page).containsPattern("<section id=\"" + section + "\"");
        }
    }

    @Test
    void anAssetThatDoesNotExistIsNotFoundRatherThanUnauthorized() {
        client.get()
                .uri(PAGE + "assets/no-such-module.js")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    /** Path → body of everything the page loads, following references breadth first. */
    private Map<String, String> crawl() {
        Map<String, String> served = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        String page = get(PAGE, MediaType.TEXT_HTML);
        references(REFERENCE, page, PAGE, queue);
        while (!queue.isEmpty()) {
            String path = queue.removeFirst();
            if (served.containsKey(path)) {
                continue;
            }
            String extension = path.substring(path.lastIndexOf('.') + 1);
            assertThat(TYPES).as("content type expected for %s", path).containsKey(extension);
            String body = get(path, TYPES.get(extension));
            served.put(path, body);
            if (extension.equals("js")) {
                references(IMPORT, body, path, queue);
            }
        }
        return served;
    }

    private static void references(Pattern pattern, String text, String base, Deque<String> queue) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            queue.add(URI.create(base).resolve(matcher.group(1)).getPath());
        }
    }

    private String get(String path, MediaType type) {
        String body = client.get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(type)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(body).as(path).isNotBlank();
        return body;
    }

    private static Set<String> assetFiles() throws IOException {
        Set<String> paths = new TreeSet<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources(ASSETS)) {
            if (resource.isReadable()) {
                String url = resource.getURL().toString();
                paths.add(PAGE
                        + url.substring(
                                url.indexOf("static/project-dashboard/") + "static/project-dashboard/".length()));
            }
        }
        assertThat(paths).isNotEmpty();
        return paths;
    }
}
