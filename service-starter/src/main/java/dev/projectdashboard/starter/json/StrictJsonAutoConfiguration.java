package dev.projectdashboard.starter.json;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Boot's {@link JsonMapper}, which reads every request body, refuses JSON whose meaning is ambiguous: a key twice in
 * one object (otherwise the last one silently wins, and two parsers may disagree on which), content after the value,
 * and NUL characters in string fields. Each is a 400 naming the key or field ({@link JsonReadError}).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({JsonMapper.class, JsonMapperBuilderCustomizer.class})
public class StrictJsonAutoConfiguration {

    @Bean
    public JsonMapperBuilderCustomizer dashboardStrictJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(new SimpleModule("dashboard-strict-json")
                        .addDeserializer(String.class, new NulRefusingStringDeserializer()));
    }
}
