package dev.projectdashboard.devicebridge.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Replicas share the subscription: each request is answered exactly once, and one takes over from another. */
class ReplicaIntegrationTests extends CameraTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void twoReplicasAnswerEveryRequestExactlyOnce() {
        try (BridgeReplica second = BridgeReplica.start(fileService.url(), Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(second::subscribed);
            double firstBefore = answered();
            List<Camera> cameras =
                    IntStream.range(0, 4).mapToObj(i -> camera(unique("CAM"))).toList();
            int perCamera = 15;
            for (int i = 0; i < perCamera; i++) {
                for (Camera camera : cameras) {
                    camera.send(camera.sourceRequest("r-" + i, "clip-" + i + ".ts", 100, 1));
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (Camera camera : cameras) {
                    for (int i = 0; i < perCamera; i++) {
                        assertThat(camera.answers("r-" + i)).hasSize(1);
                    }
                }
            });
            for (Camera camera : cameras) {
                for (int i = 0; i < perCamera; i++) {
                    JsonNode answer = camera.answers("r-" + i).get(0);
                    Camera.assertSuccess(answer);
                }
            }
            // no late duplicate either: both replicas together answered exactly the requests sent
            assertThat((answered() - firstBefore) + second.answered()).isEqualTo(cameras.size() * perCamera);

            // with this replica off the broker, the other one takes its share
            double secondBefore = second.answered();
            withoutThisBridge(() -> {
                for (Camera camera : cameras) {
                    camera.send(camera.sourceRequest("r-alone", "alone.ts", 100, 1));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (Camera camera : cameras) {
                        assertThat(camera.answers("r-alone")).hasSize(1);
                    }
                });
            });
            assertThat(second.answered() - secondBefore).isEqualTo(cameras.size());
        }
    }

    private double answered() {
        return Search.in(meters).name("device_bridge_upload_requests_total").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }
}
