package dev.projectdashboard.pushservice.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A parsed webhook request-body template: JSON text with the placeholders of source 003 ({@code {{task_id}}},
 * {@code {{result_json}}}, {@code {{file_url}}}, {@code {{meta_info}}}) and {@code {{event_type}}},
 * {@code {{event_id}}}, {@code {{timestamp}}}; whitespace inside the braces is allowed ({@code {{ task_id }}}).
 *
 * <p>Rendering knows where each placeholder stands, so the body is always valid JSON whatever the values hold:
 *
 * <ul>
 *   <li>inside a JSON string ({@code "id": "{{task_id}}"}) the value's text goes in JSON-escaped: a string's
 *       characters, an object, array or number as its compact JSON text; a missing value adds nothing;
 *   <li>outside a string ({@code "data": {{result_json}}}) the value goes in as a JSON value: objects and arrays as
 *       compact JSON, strings quoted, numbers plain, a missing value as {@code null}. Such a placeholder must stand
 *       alone where a value belongs (after {@code :}, {@code ,} or {@code [}, before {@code ,}, <code>}</code> or
 *       {@code ]}), which is what makes every rendering valid once the sample rendering is.
 * </ul>
 *
 * <p>{@link #parse} refuses a template that names an unknown variable, leaves a <code>{{</code> unterminated, or does
 * not render to valid JSON with {@link TemplateValues#sample()}. Every <code>{{</code> opens a placeholder (in a run of
 * braces, the last two do), so a string that must contain <code>{{</code> writes its first brace as the JSON escape
 * <code>&#92;u007b</code>.
 *
 * <p>Hand-written scanner: template libraries (Mustache and the like) know nothing of JSON contexts, and the escaping
 * a placeholder needs depends on whether it stands inside a string. Instances are immutable and thread-safe.
 */
public final class BodyTemplate {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The body sent when a webhook has no template of its own: the Standard Webhooks payload shape ({@code type},
     * {@code timestamp}, {@code data}) with source 003's inputs beside it. {@code file_url} stands outside a string so
     * that a task without result files sends {@code null} rather than an empty URL.
     */
    private static final String DEFAULT_TEMPLATE = "{\"type\":\"{{event_type}}\",\"timestamp\":{{timestamp}},"
            + "\"event_id\":\"{{event_id}}\",\"task_id\":\"{{task_id}}\",\"data\":{{result_json}},"
            + "\"meta_info\":{{meta_info}},\"file_url\":{{file_url}}}";

    private static final BodyTemplate DEFAULT = parse(DEFAULT_TEMPLATE);

    private final String source;
    private final List<Part> parts;

    private BodyTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** The variables a template may name, as written between the braces. */
    public static List<String> variables() {
        return Arrays.stream(Variable.values()).map(variable -> variable.name).toList();
    }

    /** The template used for a webhook without one; see {@link #DEFAULT_TEMPLATE} for its shape. */
    public static BodyTemplate defaultTemplate() {
        return DEFAULT;
    }

    /**
     * Parses and checks a template.
     *
     * @throws TemplateException naming the line and column of the first problem
     */
    public static BodyTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        if (template.isBlank()) {
            throw new TemplateException("the template is empty; it must be a JSON document");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean inString = false;
        boolean escaped = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (!escaped && c == '{' && template.startsWith("{", i + 1)) {
                int open = i;
                while (template.startsWith("{", open + 2)) {
                    open++;
                }
                text.append(template, i, open);
                int close = closing(template, open);
                Variable variable =
                        Variable.named(template.substring(open + 2, close).strip(), template, open);
                if (!inString) {
                    requireStandingAlone(template, open, close + 2, variable);
                }
                if (!text.isEmpty()) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Slot(variable, inString));
                i = close + 2;
                continue;
            }
            text.append(c);
            if (escaped) {
                escaped = false;
            } else if (inString && c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = !inString;
            }
            i++;
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        BodyTemplate parsed = new BodyTemplate(template, parts);
        parsed.requireValidJson();
        return parsed;
    }

    /** The body for one delivery: valid JSON for any values (see the class comment). */
    public String render(TemplateValues values) {
        Objects.requireNonNull(values, "values");
        StringBuilder out = new StringBuilder(source.length() + 256);
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Slot slot) {
                Object value = slot.variable().value.apply(values);
                if (slot.inString()) {
                    appendInString(out, value);
                } else {
                    appendAsValue(out, value);
                }
            }
        }
        return out.toString();
    }

    /**
     * Whether the template names {@code variable} (as written between the braces): {@code file_url} costs a call to
     * file-service, made only for templates that use it.
     */
    public boolean uses(String variable) {
        return parts.stream()
                .anyMatch(part ->
                        part instanceof Slot slot && slot.variable().name.equals(variable));
    }

    /** The template text as given to {@link #parse}. */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BodyTemplate template && template.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "BodyTemplate[" + source + "]";
    }

    /** Index of the <code>}}</code> closing the placeholder opened at {@code open}. */
    private static int closing(String template, int open) {
        int close = template.indexOf("}}", open + 2);
        String inner = close < 0 ? "" : template.substring(open + 2, close);
        // a name never spans lines, quotes or another opening: then this one was left open
        if (close < 0 || inner.contains("{{") || inner.contains("\"") || inner.contains("\n") || inner.contains("\r")) {
            throw new TemplateException("unterminated {{ at " + position(template, open) + "; close it with }}");
        }
        return close;
    }

    /** A placeholder outside a string is a whole JSON value; anything glued to it could break the JSON. */
    private static void requireStandingAlone(String template, int start, int end, Variable variable) {
        int before = start - 1;
        while (before >= 0 && isJsonWhitespace(template.charAt(before))) {
            before--;
        }
        int after = end;
        while (after < template.length() && isJsonWhitespace(template.charAt(after))) {
            after++;
        }
        boolean alone = (before < 0 || ":,[".indexOf(template.charAt(before)) >= 0)
                && (after == template.length() || ",}]".indexOf(template.charAt(after)) >= 0);
        if (!alone) {
            throw new TemplateException("{{" + variable.name + "}} at " + position(template, start)
                    + " stands outside a JSON string, so it must be a whole value: after ':', ',' or '[' and before"
                    + " ',', '}' or ']' (or put it inside quotes)");
        }
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private void requireValidJson() {
        JsonNode rendered;
        try {
            rendered = JSON.readTree(render(TemplateValues.sample()));
        } catch (JacksonException e) {
            // values and compact JSON hold no line breaks, so the sample rendering keeps the template's lines
            throw new TemplateException("does not render to valid JSON with sample data: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (rendered == null || rendered.isMissingNode()) {
            throw new TemplateException("does not render to valid JSON with sample data: no JSON value in it");
        }
    }

    /** 1-based line and column of {@code index}, as an editor shows them. */
    static String position(String template, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (template.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (index - lineStart + 1);
    }

    private static void appendInString(StringBuilder out, Object value) {
        if (value instanceof JsonNode node) {
            if (isMissing(node)) {
                return;
            }
            value = node.isString() ? node.asString() : JSON.writeValueAsString(node);
        }
        if (value != null) {
            JsonStringEncoder.getInstance().quoteAsString(value.toString(), out);
        }
    }

    private static void appendAsValue(StringBuilder out, Object value) {
        if (value == null || (value instanceof JsonNode node && isMissing(node))) {
            out.append("null");
        } else if (value instanceof JsonNode node) {
            out.append(JSON.writeValueAsString(node));
        } else if (value instanceof String string) {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(string, out);
            out.append('"');
        } else {
            out.append(value); // a Long
        }
    }

    private static boolean isMissing(JsonNode node) {
        return node.isNull() || node.isMissingNode();
    }

    private sealed interface Part permits Text, Slot {}

    private record Text(String text) implements Part {}

    private record Slot(Variable variable, boolean inString) implements Part {}

    private enum Variable {
        TASK_ID("task_id", TemplateValues::taskId),
        RESULT_JSON("result_json", TemplateValues::resultJson),
        FILE_URL("file_url", TemplateValues::fileUrl),
        META_INFO("meta_info", TemplateValues::metaInfo),
        EVENT_TYPE("event_type", TemplateValues::eventType),
        EVENT_ID("event_id", TemplateValues::eventId),
        TIMESTAMP("timestamp", TemplateValues::timestamp);

        private final String name;
        private final Function<TemplateValues, Object> value;

        Variable(String name, Function<TemplateValues, Object> value) {
            this.name = name;
            this.value = value;
        }

        static Variable named(String name, String template, int open) {
            for (Variable variable : values()) {
                if (variable.name.equals(name)) {
                    return variable;
                }
            }
            throw new TemplateException("unknown variable {{" + name + "}} at " + position(template, open) + "; known: "
                    + Arrays.stream(values()).map(known -> known.name).collect(Collectors.joining(", ")));
        }
    }
}
