package dev.projectdashboard.pushservice.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

class BodyTemplateTests {

    /** Keeps 1000.00 as written, so the comparison with the source's example sees the number exactly. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Source 003, "模版示例", character for character. */
    private static final String SOURCE_TEMPLATE =
            """
            {
              "task_id": "{{task_id}}",
              "data": {{result_json}},
              "file_url": "{{file_url}}",
              "metadata": {{meta_info}}
            }""";

    /** Source 003, "渲染后", character for character. */
    private static final String SOURCE_RENDERED =
            """
            {
              "task_id": "T_20251214_0001",
              "data": {
                "invoice_number": "INV-2025-001",
                "amount": 1000.00
              },
              "file_url": "https://minio.example.com/idp-files/2025/01/14/T_20251214_0001/invoice.pdf?...",
              "metadata": {
                "file_name": "invoice.pdf",
                "page_count": 3,
                "rule_id": "RULE_001",
                "rule_version": "V1.0",
                "created_at": "2025-01-14T10:30:00",
                "completed_at": "2025-01-14T10:30:15",
                "confidence_scores": {"invoice_number": 95, "amount": 88},
                "llm_token_count": 1500,
                "llm_cost": 3.0
              }
            }""";

    @Test
    void rendersSourceExampleTemplateToSourceRenderedExample() {
        TemplateValues values = new TemplateValues(
                "T_20251214_0001",
                json("""
                        {"invoice_number": "INV-2025-001", "amount": 1000.00}"""),
                "https://minio.example.com/idp-files/2025/01/14/T_20251214_0001/invoice.pdf?...",
                json(
                        """
                        {"file_name": "invoice.pdf", "page_count": 3, "rule_id": "RULE_001", "rule_version": "V1.0",
                         "created_at": "2025-01-14T10:30:00", "completed_at": "2025-01-14T10:30:15",
                         "confidence_scores": {"invoice_number": 95, "amount": 88}, "llm_token_count": 1500,
                         "llm_cost": 3.0}"""),
                null,
                null,
                0);

        String rendered = BodyTemplate.parse(SOURCE_TEMPLATE).render(values);

        // field order, nesting and every number as written: compact text of both documents
        assertThat(compact(rendered)).isEqualTo(compact(SOURCE_RENDERED));
        // the template's own text around the values is kept as written
        assertThat(rendered)
                .startsWith("{\n  \"task_id\": \"T_20251214_0001\",\n  \"data\": {\"invoice_number\":")
                .contains("\"amount\":1000.00},\n  \"file_url\": \"https://minio.example.com/");
    }

    @Test
    void placeholderInsideStringInsertsTheTextEscaped() {
        String awkward = "a \"quoted\" \\ back\\slash\nnew line\ttab \u0001 张三 \u2028 {{task_id}} </script>";
        BodyTemplate template = BodyTemplate.parse("{\"id\": \"task-{{task_id}}-end\"}");

        JsonNode body = JSON.readTree(template.render(values(awkward, null, null, null)));

        assertThat(body.get("id").asString()).isEqualTo("task-" + awkward + "-end");
    }

    @Test
    void objectInsideStringInsertsItsCompactJsonText() {
        BodyTemplate template = BodyTemplate.parse("{\"raw\": \"{{result_json}}\", \"meta\": \"m={{meta_info}}\"}");
        JsonNode result = json("{\"name\": \"张三\", \"quote\": \"a\\\"b\", \"list\": [1, 2.5, null]}");
        JsonNode meta = JsonNodeFactory.instance.stringNode("plain \"text\"");

        JsonNode body = JSON.readTree(template.render(values("T1", result, null, meta)));

        assertThat(body.get("raw").asString())
                .isEqualTo("{\"name\":\"张三\",\"quote\":\"a\\\"b\",\"list\":[1,2.5,null]}");
        assertThat(JSON.readTree(body.get("raw").asString())).isEqualTo(result);
        assertThat(body.get("meta").asString()).isEqualTo("m=plain \"text\"");
    }

    @Test
    void placeholderOutsideStringInsertsAJsonValue() {
        BodyTemplate template = BodyTemplate.parse(
                "{\"id\": {{task_id}}, \"data\": {{result_json}}, \"list\": [{{meta_info}}, {{timestamp}}]}");
        JsonNode result = json("{\"a\": [1, {\"b\": true}]}");
        JsonNode meta = JsonNodeFactory.instance.stringNode("x\"y");

        JsonNode body = JSON.readTree(template.render(values("say \"hi\"", result, null, meta)));

        assertThat(body.get("id").isString()).isTrue();
        assertThat(body.get("id").asString()).isEqualTo("say \"hi\"");
        assertThat(body.get("data")).isEqualTo(result);
        assertThat(body.get("list").get(0).asString()).isEqualTo("x\"y");
        assertThat(body.get("list").get(1).isNumber()).isTrue();
        assertThat(body.get("list").get(1).asLong()).isEqualTo(1_705_219_200L);
    }

    @Test
    void missingValuesRenderNullOutsideStringsAndNothingInside() {
        BodyTemplate template = BodyTemplate.parse(
                """
                {"data": {{result_json}}, "metadata": {{meta_info}}, "url": {{file_url}}, "id": {{task_id}},
                 "quoted_url": "{{file_url}}", "quoted_data": "<{{result_json}}>", "quoted_meta": "{{meta_info}}"}""");

        String rendered = template.render(values(null, NullNode.getInstance(), null, null));
        JsonNode body = JSON.readTree(rendered);

        for (String field : List.of("data", "metadata", "url", "id")) {
            assertThat(body.get(field).isNull()).as(field).isTrue();
        }
        assertThat(body.get("quoted_url").asString()).isEmpty();
        assertThat(body.get("quoted_data").asString()).isEqualTo("<>");
        assertThat(body.get("quoted_meta").asString()).isEmpty();
    }

    @Test
    void timestampIsANumberOutsideAndDigitsInside() {
        BodyTemplate template = BodyTemplate.parse("{\"t\": {{timestamp}}, \"s\": \"at {{timestamp}}\"}");

        JsonNode body = JSON.readTree(
                template.render(new TemplateValues(null, null, null, null, "task.completed", "e1", 1_705_219_215L)));

        assertThat(body.get("t").isIntegralNumber()).isTrue();
        assertThat(body.get("t").asLong()).isEqualTo(1_705_219_215L);
        assertThat(body.get("s").asString()).isEqualTo("at 1705219215");
    }

    @Test
    void allowsWhitespaceInsideTheBraces() {
        BodyTemplate template = BodyTemplate.parse("{\"id\": \"{{ task_id }}\", \"type\": \"{{\tevent_type  }}\"}");

        JsonNode body =
                JSON.readTree(template.render(new TemplateValues("T7", null, null, null, "task.completed", null, 0)));

        assertThat(body.get("id").asString()).isEqualTo("T7");
        assertThat(body.get("type").asString()).isEqualTo("task.completed");
    }

    @Test
    void rendersEventTypeAndEventId() {
        BodyTemplate template = BodyTemplate.parse("[\"{{event_type}}\", {{event_id}}]");

        JsonNode body =
                JSON.readTree(template.render(new TemplateValues(null, null, null, null, "task.failed", "evt-9", 0)));

        assertThat(body.get(0).asString()).isEqualTo("task.failed");
        assertThat(body.get(1).asString()).isEqualTo("evt-9");
    }

    @Test
    void refusesUnknownVariableNamingWhereAndWhatIsKnown() {
        assertThatThrownBy(() -> BodyTemplate.parse("{\n  \"a\": 1,\n  \"b\": \"{{ foo }}\"\n}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("unknown variable {{foo}} at line 3, column 9; known: task_id, result_json, file_url,"
                        + " meta_info, event_type, event_id, timestamp");
    }

    @Test
    void variableNamesAreCaseSensitive() {
        assertThatThrownBy(() -> BodyTemplate.parse("{\"a\": \"{{Task_ID}}\"}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("unknown variable {{Task_ID}} at line 1, column 8");
    }

    @Test
    void refusesUnterminatedPlaceholder() {
        assertThatThrownBy(() -> BodyTemplate.parse("{\"a\": \"{{task_id\"}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("unterminated {{ at line 1, column 8");
        // closed only by a later placeholder's braces: still this one is left open
        assertThatThrownBy(() -> BodyTemplate.parse("{\"a\": \"{{task_id}\",\n \"b\": \"{{file_url}}\"}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("unterminated {{ at line 1, column 8");
        assertThatThrownBy(() -> BodyTemplate.parse("{\"a\": \"{{task_id\n}}\"}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("unterminated {{ at line 1, column 8");
    }

    @Test
    void refusesTemplateThatIsNotJsonWithSampleData() {
        assertThatThrownBy(() -> BodyTemplate.parse("{\n  \"task_id\": \"{{task_id}}\",\n  \"a\": 1\n  \"b\": 2\n}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("does not render to valid JSON with sample data: ")
                .hasMessageEndingWith("(line 4)");
        assertThatThrownBy(() -> BodyTemplate.parse("{\"a\": 1} trailing"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("does not render to valid JSON with sample data: ");
        assertThatThrownBy(() -> BodyTemplate.parse("{'a': 1}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("does not render to valid JSON with sample data: ");
    }

    @Test
    void refusesEmptyTemplate() {
        assertThatThrownBy(() -> BodyTemplate.parse(" \n "))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void refusesPlaceholderOutsideStringGluedToOtherText() {
        // each of these would render valid JSON for some values and not for others (a negative number, a string)
        for (String glued : List.of(
                "{\"a\": 1{{timestamp}}}",
                "{\"a\": -{{timestamp}}}",
                "{\"a\": {{result_json}}{{meta_info}}}",
                "{\"a\": {{task_id}} \"x\"}",
                "{{{task_id}}: 1}")) {
            assertThatThrownBy(() -> BodyTemplate.parse(glued))
                    .as(glued)
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("stands outside a JSON string, so it must be a whole value");
        }
    }

    @Test
    void wholeBodyMayBeOnePlaceholder() {
        JsonNode result = json("{\"k\": [1, 2]}");

        String rendered = BodyTemplate.parse("  {{result_json}}\n").render(values("T", result, null, null));

        assertThat(JSON.readTree(rendered)).isEqualTo(result);
    }

    @Test
    void escapedQuotesDoNotEndTheString() {
        // the placeholder stands after an escaped quote, still inside the string
        BodyTemplate inside = BodyTemplate.parse("{\"note\": \"say \\\"{{task_id}}\\\"\"}");
        assertThat(JSON.readTree(inside.render(values("a\"b", null, null, null)))
                        .get("note")
                        .asString())
                .isEqualTo("say \"a\"b\"");

        // an escaped backslash ends with the string's closing quote: the placeholder is outside it
        BodyTemplate outside = BodyTemplate.parse("{\"path\\\\\": {{task_id}}}");
        assertThat(JSON.readTree(outside.render(values("a\"b", null, null, null)))
                        .get("path\\")
                        .asString())
                .isEqualTo("a\"b");
    }

    @Test
    void placeholderMayBeAnObjectKey() {
        JsonNode body = JSON.readTree(
                BodyTemplate.parse("{\"{{task_id}}\": {{timestamp}}}").render(values("k\"ey", null, null, null)));

        assertThat(body.get("k\"ey").asLong()).isEqualTo(1_705_219_200L);
    }

    @Test
    void extraBracesAroundAPlaceholderAreText() {
        BodyTemplate template = BodyTemplate.parse("{\"id\": \"{{{task_id}}}\", \"close\": \"}}\"}");

        JsonNode body = JSON.readTree(template.render(values("T1", null, null, null)));

        assertThat(body.get("id").asString()).isEqualTo("{T1}");
        assertThat(body.get("close").asString()).isEqualTo("}}");
    }

    @Test
    void escapedBraceWritesLiteralDoubleBraces() {
        BodyTemplate template = BodyTemplate.parse("{\"text\": \"\\u007b{task_id}}\"}");

        assertThat(JSON.readTree(template.render(values("T1", null, null, null)))
                        .get("text")
                        .asString())
                .isEqualTo("{{task_id}}");
    }

    @Test
    void defaultTemplateIsTheStandardWebhooksShape() {
        JsonNode result = json("{\"amount\": 10}");
        JsonNode meta = json("{\"file_name\": \"a.pdf\"}");

        JsonNode body = JSON.readTree(BodyTemplate.defaultTemplate()
                .render(new TemplateValues("T1", result, null, meta, "task.completed", "evt-1", 1_705_219_200L)));

        assertThat(compact(body.toString()))
                .isEqualTo(
                        compact(
                                """
                        {"type": "task.completed", "timestamp": 1705219200, "event_id": "evt-1", "task_id": "T1",
                         "data": {"amount": 10}, "meta_info": {"file_name": "a.pdf"}, "file_url": null}"""));
    }

    @Test
    void rendersValidJsonForArbitraryValues() {
        BodyTemplate template = BodyTemplate.parse(
                """
                {"a": "{{task_id}}{{file_url}}", "b": {{task_id}}, "c": ["{{result_json}}", {{result_json}}],
                 "d": {"{{meta_info}}": {{meta_info}}}, "e": "\\\\{{event_id}}\\"", "f": {{file_url}}}""");
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            TemplateValues values = new TemplateValues(
                    randomText(random),
                    randomNode(random, 3),
                    random.nextBoolean() ? null : randomText(random),
                    randomNode(random, 3),
                    "task.completed",
                    randomText(random),
                    Math.abs(random.nextLong()));

            String rendered = template.render(values);

            JsonNode body = JSON.readTree(rendered);
            assertThat(body.get("b").asString()).as(rendered).isEqualTo(values.taskId());
            assertThat(body.get("e").asString()).as(rendered).isEqualTo("\\" + values.eventId() + "\"");
        }
    }

    @Test
    void listsItsVariables() {
        assertThat(BodyTemplate.variables())
                .containsExactly(
                        "task_id", "result_json", "file_url", "meta_info", "event_type", "event_id", "timestamp");
    }

    @Test
    void keepsItsSourceText() {
        assertThat(BodyTemplate.parse(SOURCE_TEMPLATE).source()).isEqualTo(SOURCE_TEMPLATE);
        assertThat(BodyTemplate.parse(SOURCE_TEMPLATE)).isEqualTo(BodyTemplate.parse(SOURCE_TEMPLATE));
    }

    private static TemplateValues values(String taskId, JsonNode result, String fileUrl, JsonNode meta) {
        return new TemplateValues(taskId, result, fileUrl, meta, "task.completed", "evt-1", 1_705_219_200L);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static String compact(String json) {
        return JSON.writeValueAsString(JSON.readTree(json));
    }

    private static String randomText(Random random) {
        String alphabet = "ab\"\\/\n\r\t\u0000\u001f{}[]:,张\u2028\uD83D\uDE00 ";
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int at = random.nextInt(alphabet.length());
            // keep surrogate pairs whole
            if (Character.isHighSurrogate(alphabet.charAt(at))) {
                text.append(alphabet, at, at + 2);
            } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                text.append(alphabet.charAt(at));
            }
        }
        return text.toString();
    }

    private static JsonNode randomNode(Random random, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (depth == 0 ? random.nextInt(5) : random.nextInt(8)) {
            case 0 -> null;
            case 1 -> nodes.nullNode();
            case 2 -> nodes.stringNode(randomText(random));
            case 3 -> nodes.numberNode(random.nextDouble() * 1e6 - 5e5);
            case 4 -> nodes.booleanNode(random.nextBoolean());
            case 5 -> nodes.numberNode(random.nextLong());
            case 6 -> {
                var array = nodes.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    JsonNode element = randomNode(random, depth - 1);
                    array.add(element == null ? nodes.nullNode() : element);
                }
                yield array;
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    JsonNode element = randomNode(random, depth - 1);
                    object.set(randomText(random), element == null ? nodes.nullNode() : element);
                }
                yield object;
            }
        };
    }
}
