package dev.projectdashboard.starter.problem;

/**
 * One entry of a problem's {@code errors} list.
 *
 * @param field the request field, query parameter or JSON path that is wrong
 * @param message what is wrong with it
 */
public record FieldViolation(String field, String message) {}
