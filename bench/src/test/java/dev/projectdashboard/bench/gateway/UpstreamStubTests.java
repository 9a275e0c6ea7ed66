package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class UpstreamStubTests {

    @Test
    void theBodyIsOneKilobyteOfJson() {
        byte[] body = UpstreamStub.body();

        assertThat(body).hasSize(1024);
        JsonNode json = JsonMapper.builder().build().readTree(body);
        assertThat(json.get("project").asString()).isEqualTo("bench");
    }
}
