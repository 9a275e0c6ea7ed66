package dev.projectdashboard.starter.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What is wrong with JSON that could not be read, in words fit for a client: where it broke and what broke, never
 * Jackson's own message (which names its classes, settings and limits). For problem details of endpoints that parse
 * JSON themselves: {@code throw new ProblemException(BAD_REQUEST, JsonReadError.of(e).detail())}.
 *
 * @param detail one sentence, e.g. {@code Duplicate key 'name' at line 1, column 21.} or {@code Malformed JSON at
 *     line 1, column 9.}
 * @param field the offending member as a path ({@code task.name}, {@code tags[1]}), or null when the JSON as a whole
 *     is broken
 * @param message what is wrong with {@code field} ({@code is out of range}), or null without a field
 */
public record JsonReadError(String detail, String field, String message) {

    /** Field message of a string value that holds U+0000, see {@link StrictJsonAutoConfiguration}. */
    public static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";

    /** Describes a failure of Jackson reading JSON (tokens or binding). */
    public static JsonReadError of(JacksonException error) {
        if (error instanceof StreamConstraintsException) {
            return whole(exceededLimit(error));
        }
        if (error instanceof InputCoercionException && !error.getPath().isEmpty()) {
            // a number that does not fit its field: a token-level error, but one with a field to name
            return at(path(error), "is out of range");
        }
        if (error instanceof StreamReadException read) {
            JsonParser parser = read.processor();
            if (isDuplicate(read) && parser != null) {
                TokenStreamContext context = parser.streamReadContext();
                return new JsonReadError(
                        "Duplicate key '" + context.currentName() + "'" + where(error) + ".",
                        path(context),
                        "is duplicated");
            }
            if (error instanceof UnexpectedEndOfInputException) {
                return whole("The JSON ends before its value is complete" + where(error) + ".");
            }
            return whole("Malformed JSON" + where(error) + ".");
        }
        String path = path(error);
        if (path.isEmpty()) {
            if (isTrailingContent(error)) {
                return whole("Unexpected content after the JSON value" + where(error) + ".");
            }
            return whole(
                    error instanceof MismatchedInputException
                            ? "The request body has the wrong JSON type for this request."
                            : "The request body is not valid JSON.");
        }
        return at(path, fieldMessage(error));
    }

    private static JsonReadError whole(String detail) {
        return new JsonReadError(detail, null, null);
    }

    private static JsonReadError at(String field, String message) {
        return new JsonReadError("The value of '" + field + "' " + message + ".", field, message);
    }

    private static String fieldMessage(JacksonException error) {
        if (error instanceof InvalidFormatException invalid) {
            return invalid.getValue() instanceof String text && text.indexOf('\0') >= 0 ? NUL_MESSAGE : "is not valid";
        }
        return error instanceof MismatchedInputException ? "has the wrong type" : "is not valid";
    }

    // Jackson has no exception type per limit or for duplicates, only its messages; a test pins each one
    private static String exceededLimit(JacksonException error) {
        String message = String.valueOf(error.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            return "The JSON nests deeper than allowed.";
        }
        if (message.startsWith("Number value length")) {
            return "A number in the JSON has too many digits.";
        }
        if (message.startsWith("String value length")) {
            return "A string in the JSON is too long.";
        }
        if (message.startsWith("Name length")) {
            return "A property name in the JSON is too long.";
        }
        return "The JSON exceeds a size limit.";
    }

    private static boolean isDuplicate(StreamReadException error) {
        return String.valueOf(error.getOriginalMessage()).startsWith("Duplicate ");
    }

    private static boolean isTrailingContent(JacksonException error) {
        return String.valueOf(error.getOriginalMessage()).startsWith("Trailing token");
    }

    private static String where(JacksonException error) {
        TokenStreamLocation location = error.getLocation();
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** {@code tags[1]}, {@code task.name}: the path Jackson recorded while binding. */
    private static String path(JacksonException error) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : error.getPath()) {
            append(path, reference.getPropertyName(), reference.getIndex());
        }
        return path.toString();
    }

    /** The same path for where the parser stands, for errors raised before binding (duplicate keys). */
    private static String path(TokenStreamContext context) {
        List<TokenStreamContext> chain = new ArrayList<>();
        for (TokenStreamContext current = context;
                current != null && !current.inRoot();
                current = current.getParent()) {
            chain.add(current);
        }
        Collections.reverse(chain);
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext level : chain) {
            append(path, level.inObject() ? level.currentName() : null, level.inArray() ? level.getCurrentIndex() : -1);
        }
        return path.toString();
    }

    private static void append(StringBuilder path, String name, int index) {
        if (name != null) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(name);
        } else if (index >= 0) {
            path.append('[').append(index).append(']');
        }
    }
}
