package dev.projectdashboard.realtimeservice.nativews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.hub.Since;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NativeFramesTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource({
        "task.progress, task:progress",
        "task.completed, task:completed",
        "notification, notification",
        "deployment.step_started, deployment:step",
        "deployment.step_failed, deployment:step",
        "deployment.completed, deployment:completed",
        "deployment.metrics, deployment:metrics",
        "device.upload_progress, device:upload",
        "file.uploaded, file:uploaded",
        "webhook.dead_lettered, webhook:dead_lettered",
        "chat.typing.started, chat:typing.started"
    })
    void namesEventsAsTheProtocolTableSays(String type, String event) {
        assertThat(NativeFrames.eventName(type)).isEqualTo(event);
    }

    @Test
    void rendersPublicationWithTheProducersDataVerbatim() {
        String data = "{\"task_id\":\"t\\\"1\",\"progress\":42.50,\"nested\":{\"a\":[1,2]}}";
        Publication publication = new Publication("task:t1", 7, "ep", "task.progress", "id-1", Instant.now(), data);

        String frame = NativeFrames.publication(publication);

        JsonNode parsed = json.readTree(frame);
        assertThat(parsed.path("event").asString()).isEqualTo("task:progress");
        assertThat(parsed.path("channel").asString()).isEqualTo("task:t1");
        assertThat(parsed.path("offset").asLong()).isEqualTo(7);
        assertThat(parsed.path("type").asString()).isEqualTo("task.progress");
        // 42.50 stays 42.50: the data is not re-serialised
        assertThat(frame).endsWith(",\"data\":" + data + "}");
    }

    @Test
    void rendersTheConnectionsOtherChannelsOfAnEventInAlsoAndSharesTheVariant() {
        Position task = new Position("task:t1", 7, "ep");
        Position user = new Position("user:alice", 31, "ep2");
        Publication event =
                new Publication(task, "task.log", "id-1", Instant.now(), "{\"message\":\"m\"}", List.of(task, user));

        Publication both = event.named(task, List.of(user));
        JsonNode parsed = json.readTree(NativeFrames.publication(both));

        assertThat(parsed.path("channel").asString()).isEqualTo("task:t1");
        assertThat(parsed.path("offset").asLong()).isEqualTo(7);
        assertThat(parsed.path("also")).hasSize(1);
        assertThat(parsed.path("also").get(0).path("channel").asString()).isEqualTo("user:alice");
        assertThat(parsed.path("also").get(0).path("offset").asLong()).isEqualTo(31);
        assertThat(json.readTree(NativeFrames.publication(event)).has("also")).isFalse();
        // every connection with the same channels shares one variant, so one rendering
        assertThat(event.named(task, List.of(user))).isSameAs(both);
        assertThat(event.named(user, List.of()).channel()).isEqualTo("user:alice");
    }

    @Test
    void rendersErrorsWithRequestAndChannelOnlyWhenKnown() {
        NativeFrames frames = new NativeFrames(json, Clock.systemUTC());

        JsonNode full = json.readTree(frames.error(103, "permission denied", "subscribe", "user:bob"));
        JsonNode bare = json.readTree(frames.error(107, "frame is not JSON", null, null));

        assertThat(full.path("event").asString()).isEqualTo("error");
        assertThat(full.path("data").path("code").asInt()).isEqualTo(103);
        assertThat(full.path("data").path("request").asString()).isEqualTo("subscribe");
        assertThat(full.path("data").path("channel").asString()).isEqualTo("user:bob");
        assertThat(bare.path("data").has("request")).isFalse();
        assertThat(bare.path("data").has("channel")).isFalse();
    }

    @Test
    void readsSource000sFramesAndThisServicesIntoRequests() {
        assertThat(NativeFrames.parse("{\"event\":\"ping\"}")).isInstanceOf(NativeFrames.Request.Ping.class);
        assertThat(NativeFrames.parse("{\"event\":\"subscribe\",\"data\":{\"task_id\":42}}"))
                .isEqualTo(new NativeFrames.Request.Subscribe(ChannelName.parse("task:42"), null));
        assertThat(NativeFrames.parse("{\"event\":\"subscribe\",\"data\":{\"channel\":\"project:demo\","
                        + "\"since\":{\"offset\":100000000000000,\"epoch\":\"Xk3v9aQ2\"}}}"))
                .isEqualTo(new NativeFrames.Request.Subscribe(
                        ChannelName.parse("project:demo"), new Since(100_000_000_000_000L, "Xk3v9aQ2")));
        assertThat(NativeFrames.parse("{\"event\":\"unsubscribe\",\"data\":{\"task_id\":\"t1\"}}"))
                .isEqualTo(new NativeFrames.Request.Unsubscribe(ChannelName.parse("task:t1")));
        assertThat(NativeFrames.parse(
                        "{\"event\":\"publish\",\"data\":{\"channel\":\"chat:7\",\"data\":{\"typing\":true}}}"))
                .isEqualTo(new NativeFrames.Request.Publish(ChannelName.parse("chat:7"), "{\"typing\":true}"));
    }

    @Test
    void refusesWhatItCannotBelieveAndRepeatsOnlyShortEventNames() {
        assertThat(refusal("{\"event\":\"subscribe\",\"event\":\"ping\"}").request())
                .isNull();
        NativeFrames.BadFrameException since = refusal(
                "{\"event\":\"subscribe\",\"data\":{\"channel\":\"project:p\",\"since\":{\"offset\":-1,\"epoch\":\"e\"}}}");
        assertThat(since.request()).isEqualTo("subscribe");
        assertThat(since.channel()).isEqualTo("project:p");
        assertThat(refusal("{\"event\":\"nope\"}").request()).isEqualTo("nope");
        assertThat(refusal("{\"event\":\"" + "x".repeat(65) + "\"}").request()).isNull();
        assertThat(refusal("{\"event\":\"refresh\",\"data\":{\"token\":5}}").request())
                .isEqualTo("refresh");
    }

    private static NativeFrames.BadFrameException refusal(String frame) {
        return catchThrowableOfType(NativeFrames.BadFrameException.class, () -> NativeFrames.parse(frame));
    }
}
