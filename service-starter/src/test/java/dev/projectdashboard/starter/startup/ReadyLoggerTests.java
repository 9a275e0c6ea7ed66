package dev.projectdashboard.starter.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyLoggerTests {

    @Test
    void hidesPasswordsOfUpstreamUrls() {
        assertThat(ReadyLogger.withoutCredentials("redis://:s3cret@redis.internal:6379/0"))
                .isEqualTo("redis://***@redis.internal:6379/0");
        assertThat(ReadyLogger.withoutCredentials("http://user:pw@files:8081")).isEqualTo("http://***@files:8081");
    }

    @Test
    void keepsUrlsWithoutCredentialsAsTheyAre() {
        assertThat(ReadyLogger.withoutCredentials("http://localhost:8081")).isEqualTo("http://localhost:8081");
    }

    @Test
    void neverEchoesSomethingThatIsNotAUrl() {
        assertThat(ReadyLogger.withoutCredentials("not a url with secret")).isEqualTo("<unparseable URL>");
    }
}
