package dev.projectdashboard.eventbus.test;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.localstack.LocalStackExtension;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a stream of the local stack's Redis holds, read the way an outside consumer sees it: each entry's
 * {@code event} field, the CloudEvents JSON text, oldest first. For tests that check what a service published;
 * reads the whole stream, so filter by something unique to the test (an id, a subject).
 *
 * <p>Shared by every service's tests through event-bus's test-jar (package {@code dev.projectdashboard.eventbus.test}).
 * Blocking: call it from the test thread, never from a Reactor thread.
 */
public final class StreamContents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StreamContents() {}

    /** The event texts on {@code stream}, as written. */
    public static List<String> texts(String stream) {
        RedisClient client = RedisClient.create(LocalStackExtension.localStack().redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().xrange(stream, Range.create("-", "+")).stream()
                    .map(StreamMessage::getBody)
                    .map(body -> body.get(Streams.EVENT_FIELD))
                    .toList();
        } finally {
            client.shutdown();
        }
    }

    /** The events on {@code stream}, parsed. */
    public static List<JsonNode> events(String stream) {
        return texts(stream).stream().map(JSON::readTree).toList();
    }

    /** The events on {@code stream} whose CloudEvents {@code subject} is {@code subject}. */
    public static List<JsonNode> withSubject(String stream, String subject) {
        return events(stream).stream()
                .filter(event -> subject.equals(event.path("subject").asString()))
                .toList();
    }
}
