package dev.projectdashboard.starter.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/** Validation problems name body fields as the client wrote them, not as the Java records call them. */
class JsonFieldNamesTests {

    private final JsonFieldNames names = new JsonFieldNames(JsonMapper.shared());

    record Line(@JsonProperty("file_name") String fileName, int size) {}

    record Upload(
            @JsonProperty("device_id") String deviceId,
            List<Line> items,
            @JsonProperty("by_kind") Map<String, List<Line>> byKind,
            @JsonProperty("cover") Optional<Line> coverLine,
            String note) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Snake(String idempotencyKey, List<String> channelNames, Line firstLine) {}

    @Test
    void aJsonPropertyNameReplacesTheJavaName() {
        assertThat(names.jsonPath(Upload.class, "deviceId")).isEqualTo("device_id");
        assertThat(names.jsonPath(Upload.class, "note")).isEqualTo("note");
    }

    @Test
    void theNamingStrategyOfTheTypeApplies() {
        assertThat(names.jsonPath(Snake.class, "idempotencyKey")).isEqualTo("idempotency_key");
        assertThat(names.jsonPath(Snake.class, "channelNames[2]")).isEqualTo("channel_names[2]");
        assertThat(names.jsonPath(Snake.class, "firstLine.fileName")).isEqualTo("first_line.file_name");
    }

    @Test
    void theMapperNamingStrategyApplies() {
        JsonFieldNames snake = new JsonFieldNames(JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build());

        assertThat(snake.jsonPath(Line.class, "fileName")).isEqualTo("file_name");
        assertThat(snake.jsonPath(Upload.class, "coverLine")).isEqualTo("cover");
        record Plain(String userId) {}
        assertThat(snake.jsonPath(Plain.class, "userId")).isEqualTo("user_id");
    }

    @Test
    void nestedPathsThroughListsMapsAndOptionalsAreTranslatedSegmentBySegment() {
        assertThat(names.jsonPath(Upload.class, "items[0].fileName")).isEqualTo("items[0].file_name");
        assertThat(names.jsonPath(Upload.class, "byKind[photo][1].fileName")).isEqualTo("by_kind[photo][1].file_name");
        assertThat(names.jsonPath(Upload.class, "coverLine.fileName")).isEqualTo("cover.file_name");
    }

    @Test
    void aTopLevelListBodyIsReadThroughItsElementType() {
        Type lines = new ParameterizedTypeReference<List<Line>>() {}.getType();

        assertThat(names.jsonPath(lines, "[3].fileName")).isEqualTo("[3].file_name");
    }

    @Test
    void whatTheMapperDoesNotKnowKeepsItsJavaName() {
        assertThat(names.jsonPath(Upload.class, "unknownThing.fileName")).isEqualTo("unknownThing.fileName");
        assertThat(names.jsonPath(Upload.class, "note.length")).isEqualTo("note.length");
        assertThat(names.jsonPath(null, "deviceId")).isEqualTo("deviceId");
        assertThat(names.jsonPath(Upload.class, "")).isEmpty();
    }
}
