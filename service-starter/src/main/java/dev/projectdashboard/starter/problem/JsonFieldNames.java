package dev.projectdashboard.starter.problem;

import java.lang.reflect.Type;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.introspect.ClassIntrospector;

/**
 * Translates a Java property path of a request body ({@code items[0].fileName}) into the names the client sent
 * ({@code items[0].file_name}), as the body's mapper reads them: its {@code @JsonProperty} names and naming
 * strategies. A segment the mapper does not know, and every segment after it, keeps its Java name.
 */
final class JsonFieldNames {

    /** One segment: a property name, then any number of {@code [index]} or {@code [key]} suffixes. */
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[]*)((?:\\[[^\\]]*\\])*)\\.?");

    private final ObjectMapper mapper;

    JsonFieldNames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param target the declared type of the body (may be generic), or {@code null} when unknown
     * @param path the Java property path as Bean Validation and Spring's binding report it
     * @return the same path in the names of the JSON document
     */
    String jsonPath(Type target, String path) {
        if (target == null || path == null || path.isEmpty()) {
            return path;
        }
        JavaType type = mapper.constructType(target);
        StringBuilder json = new StringBuilder(path.length());
        Matcher segment = SEGMENT.matcher(path);
        int at = 0;
        while (at < path.length() && segment.find(at) && segment.start() == at && segment.end() > at) {
            String name = segment.group(1);
            String suffixes = segment.group(2);
            if (json.length() > 0) {
                json.append('.');
            }
            if (name.isEmpty()) {
                // an element of the body itself: [0].name of a list body
                json.append(suffixes);
                type = type == null ? null : elementType(type, suffixes);
            } else {
                BeanPropertyDefinition property = type == null ? null : property(type, name);
                json.append(property != null ? property.getName() : name).append(suffixes);
                type = property == null ? null : elementType(property.getPrimaryType(), suffixes);
            }
            at = segment.end();
        }
        return at == path.length() ? json.toString() : path;
    }

    private BeanPropertyDefinition property(JavaType type, String javaName) {
        // a tree's keys are the client's own names already
        if (type.isContainerType()
                || type.isReferenceType()
                || JsonNode.class.isAssignableFrom(type.getRawClass())
                || type.getRawClass().getName().startsWith("java.")) {
            return null;
        }
        try {
            DeserializationConfig config = mapper.deserializationConfig();
            ClassIntrospector introspector = config.classIntrospectorInstance();
            BeanDescription description =
                    introspector.introspectForDeserialization(type, introspector.introspectClassAnnotations(type));
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.getInternalName().equals(javaName)) {
                    return property;
                }
            }
        } catch (RuntimeException unreadable) {
            // a type Jackson cannot introspect keeps its Java names: the problem answer must still be written
        }
        return null;
    }

    /** The type an element of {@code type} has after {@code [0]}, {@code [0][1]} or {@code [key]}. */
    private static JavaType elementType(JavaType type, String suffixes) {
        JavaType current = type;
        for (int i = 0; current != null && i < suffixes.length(); i++) {
            if (suffixes.charAt(i) == '[') {
                current = current.getContentType();
            }
        }
        while (current != null && current.isReferenceType()) {
            current = current.getReferencedType();
        }
        return current;
    }
}
