package dev.projectdashboard.devicebridge.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Under a backlog, an URGENT request overtakes every LOW one still waiting (source 001's priorities). */
class BacklogIntegrationTests extends CameraTestSupport {

    @Test
    void anUrgentRequestIsAnsweredBeforeTheLowOnesWaiting() {
        Camera history = camera(unique("LOW"));
        Camera alarm = camera(unique("URGENT"));
        withoutThisBridge(() -> {
            // one signing slot: what waits behind it is ordered by the queue alone
            try (BridgeReplica bridge =
                    BridgeReplica.start(fileService.url(), Map.of("dashboard.uploads.queue.concurrency", "1"))) {
                await().atMost(Duration.ofSeconds(30)).until(bridge::subscribed);
                fileService.hold();
                history.send(history.sourceRequest("low-0", "history-0.ts", 100, 0));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bridge.gauge("device_bridge_requests_in_flight") == 1);
                for (int i = 1; i <= 4; i++) {
                    history.send(history.sourceRequest("low-" + i, "history-" + i + ".ts", 100, 0));
                }
                alarm.send(alarm.sourceRequest("urgent", "security_alert.ts", 100, 3));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bridge.gauge("device_bridge_request_queue_depth") == 5);

                fileService.release();

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> history.answerOrder().size()
                                        + alarm.answerOrder().size()
                                == 6);
                Map<String, Long> arrivals = new LinkedHashMap<>(history.answerOrder());
                arrivals.putAll(alarm.answerOrder());
                List<String> order = arrivals.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                        .map(Map.Entry::getKey)
                        .toList();
                // the one being signed first, then URGENT, then the LOW ones in the order they came
                assertThat(order).containsExactly("low-0", "urgent", "low-1", "low-2", "low-3", "low-4");
            }
        });
    }

    @Test
    void requestsThatQueueWhileThePresignCallIsOutAreSignedTogetherEachGettingItsOwnAnswer() throws Exception {
        Camera camera = camera(unique("BATCH"));
        List<JsonNode> answers = new ArrayList<>();
        withoutThisBridge(() -> {
            // one presign call out at a time: what arrives meanwhile waits for the next call
            try (BridgeReplica bridge =
                    BridgeReplica.start(fileService.url(), Map.of("dashboard.file-service.presign-calls", "1"))) {
                await().atMost(Duration.ofSeconds(30)).until(bridge::subscribed);
                int before = fileService.batches().size();
                fileService.hold();
                camera.send(camera.sourceRequest("first", "clip-0.ts", 100, 1));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bridge.gauge("device_bridge_requests_in_flight") == 1);
                for (int i = 1; i <= 7; i++) {
                    camera.send(camera.sourceRequest("next-" + i, "clip-" + i + ".ts", 100, 1));
                }
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> bridge.gauge("device_bridge_requests_in_flight") == 8);

                fileService.release();

                answers.add(Camera.assertSuccess(camera.answer("first")));
                for (int i = 1; i <= 7; i++) {
                    answers.add(Camera.assertSuccess(camera.answer("next-" + i)));
                }
                assertThat(fileService
                                .batches()
                                .subList(before, fileService.batches().size()))
                        .containsExactly(1, 7);
                assertThat(answers)
                        .extracting(answer -> answer.get("cloud_file_path").asString())
                        .doesNotHaveDuplicates()
                        .allSatisfy(key -> assertThat(key).startsWith(camera.deviceId() + "/"));
                for (int i = 1; i <= 7; i++) {
                    assertThat(answers.get(i).get("cloud_file_path").asString()).endsWith("_clip-" + i + ".ts");
                }
            }
        });
        assertThat(camera.upload(answers.get(7), new byte[100])).isEqualTo(200);
    }
}
