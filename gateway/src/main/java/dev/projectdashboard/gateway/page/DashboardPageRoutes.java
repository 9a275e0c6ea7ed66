package dev.projectdashboard.gateway.page;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the dashboard page at {@code /project-dashboard/}. WebFlux only has a welcome page for {@code /}, so the
 * page under the prefix needs its own route; further assets come from {@code static/project-dashboard/}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPageRoutes {

    static final String PAGE_PATH = "/project-dashboard/";
    private static final String PAGE_RESOURCE = "static/project-dashboard/index.html";

    @Bean
    RouterFunction<ServerResponse> dashboardPage() {
        // read once at start-up: the page is small, and this keeps file I/O off the event loop
        String page = readPage();
        return route(GET("/project-dashboard"), request -> {
                    String query = request.uri().getRawQuery();
                    URI target = URI.create(query == null ? PAGE_PATH : PAGE_PATH + "?" + query);
                    return ServerResponse.permanentRedirect(target).build();
                })
                .andRoute(GET(PAGE_PATH), request -> ServerResponse.ok()
                        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                        // the page carries no data itself; a stale copy after a deploy would be confusing
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(page));
    }

    private static String readPage() {
        try (InputStream in = new ClassPathResource(PAGE_RESOURCE).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard page " + PAGE_RESOURCE + " is missing from the classpath", e);
        }
    }
}
