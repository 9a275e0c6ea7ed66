package dev.projectdashboard.starter.json;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Jackson's string reading, refusing U+0000: {@code "\u0000"} is valid JSON, but no field of the suite means it,
 * PostgreSQL cannot store it in text or jsonb, and it cuts strings short in C-based tools downstream.
 */
class NulRefusingStringDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String value = super.deserialize(parser, context);
        if (value != null && value.indexOf('\0') >= 0) {
            throw context.weirdStringException(value, String.class, JsonReadError.NUL_MESSAGE);
        }
        return value;
    }
}
