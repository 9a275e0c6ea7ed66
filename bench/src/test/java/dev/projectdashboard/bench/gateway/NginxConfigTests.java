package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigTests {

    @TempDir
    Path dir;

    @Test
    void proxiesThePrefixToTheStubOverKeptAliveConnectionsWithoutAnAccessLog() {
        String conf = new NginxConfig(dir, 18080, 19090, 2, 64).render();

        assertThat(conf)
                .contains("worker_processes 2;")
                .contains("daemon off;")
                .contains("access_log off;")
                .contains("listen 127.0.0.1:18080;")
                .contains("server 127.0.0.1:19090;")
                .contains("keepalive 64;")
                .contains("location /project-dashboard/ {")
                // the URI part (the trailing slash) makes nginx strip the matched prefix, as the gateway does
                .contains("proxy_pass http://dashboard_backend/;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";")
                .contains("proxy_set_header X-Forwarded-Prefix /project-dashboard;")
                .contains("pid " + dir.toAbsolutePath().resolve("nginx.pid") + ";");
        assertThat(conf).doesNotContain("0.0.0.0").doesNotContain("/var/log");
    }

    @Test
    void refusesNoWorkers() {
        assertThatThrownBy(() -> new NginxConfig(dir, 1, 2, 0, 64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void debiansNginxAcceptsTheConfiguration() throws Exception {
        assumeTrue(Files.isExecutable(NginxProcess.BINARY), "Debian's nginx is not installed");
        NginxConfig config = new NginxConfig(dir, 18080, 19090, 1, 8);
        Files.writeString(config.confFile(), config.render(), StandardCharsets.UTF_8);

        assertThat(NginxProcess.test(config)).isNull();
    }

    @Test
    void aBrokenConfigurationIsReportedInNginxsWords() throws Exception {
        assumeTrue(Files.isExecutable(NginxProcess.BINARY), "Debian's nginx is not installed");
        NginxConfig config = new NginxConfig(dir, 18080, 19090, 1, 8);
        Files.writeString(config.confFile(), config.render().replace("keepalive 8;", "keepalive;"));

        assertThat(NginxProcess.test(config)).contains("keepalive");
    }
}
