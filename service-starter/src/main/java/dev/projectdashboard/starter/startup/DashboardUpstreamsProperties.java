package dev.projectdashboard.starter.startup;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The services this one calls, printed once when it is ready so an operator sees where it points.
 *
 * @param upstreams upstream name to base URL, e.g. {@code dashboard.upstreams.file-service=${FILE_SERVICE_URL:http://localhost:8081}}
 */
@Validated
@ConfigurationProperties("dashboard")
public record DashboardUpstreamsProperties(@DefaultValue Map<String, String> upstreams) {}
