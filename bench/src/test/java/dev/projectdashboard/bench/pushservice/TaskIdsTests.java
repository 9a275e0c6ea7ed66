package dev.projectdashboard.bench.pushservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskIdsTests {

    @Test
    void readsStepAndIndexBackFromARenderedBody() {
        String body = "{\"type\":\"task.completed\",\"timestamp\":1796657998,\"event_id\":\"ad80aa19\",\"task_id\":\""
                + TaskIds.of(12, 34567) + "\",\"data\":{\"task_id\":\"T_BENCH_9_9\"},\"file_url\":null}";

        long parsed = TaskIds.parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(TaskIds.step(parsed)).isEqualTo(12);
        assertThat(TaskIds.index(parsed)).isEqualTo(34567);
    }

    @Test
    void refusesBodiesWithoutABenchTaskId() {
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_20251214_0001\"}"))).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_BENCH_1\"}"))).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_BENCH_1_\"}"))).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_BENCH__2\"}"))).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_BENCH_1_2x\"}"))).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\":\"T_BENCH_1_99999999999\"}")))
                .isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("{\"task_id\": \"T_BENCH_1_2\"}")))
                .as("the template renders without spaces; anything else is not ours")
                .isEqualTo(-1);
        assertThat(TaskIds.parse(new byte[0])).isEqualTo(-1);
        assertThat(TaskIds.parse(bytes("\"task_id\":\"T_BENCH_1_2")))
                .as("cut short")
                .isEqualTo(-1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
