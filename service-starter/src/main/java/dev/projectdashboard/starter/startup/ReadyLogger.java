package dev.projectdashboard.starter.startup;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/** Prints {@code <name> ready on port <port>; upstreams: {…}}, the line the launcher and operators wait for. */
public class ReadyLogger implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ReadyLogger.class);

    private final Environment environment;
    private final DashboardUpstreamsProperties properties;

    public ReadyLogger(Environment environment, DashboardUpstreamsProperties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        log.info(readyLine());
    }

    /** The line itself, sorted by upstream name so it reads the same on every start. */
    public String readyLine() {
        String name = environment.getProperty("spring.application.name", "application");
        // set by Boot once the web server listens, so a random port shows its real value
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "?"));
        Map<String, String> upstreams = new TreeMap<>();
        properties.upstreams().forEach((upstream, url) -> upstreams.put(upstream, withoutCredentials(url)));
        return name + " ready on port " + port + "; upstreams: " + upstreams;
    }

    /** {@code redis://:secret@host:6379} becomes {@code redis://***@host:6379}: passwords never reach a log. */
    static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return url.replace(uri.getRawUserInfo() + "@", "***@");
        } catch (IllegalArgumentException notAUri) {
            return "<unparseable URL>";
        }
    }
}
