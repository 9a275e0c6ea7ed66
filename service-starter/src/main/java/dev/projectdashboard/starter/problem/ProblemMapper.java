package dev.projectdashboard.starter.problem;

import dev.projectdashboard.starter.json.JsonReadError;
import io.netty.handler.timeout.ReadTimeoutException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.StringUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.netty.Connection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that decides the problem body (RFC 9457) for any exception, used by the controller advice,
 * the {@code WebExceptionHandler} for functional endpoints and filters, and the security handlers.
 *
 * <p>Client errors say what is wrong; server errors never carry the exception's message or stack trace:
 * they are logged with a correlation id that the body repeats.
 */
public class ProblemMapper {

    /** Problem member listing invalid input as {@code [{field, message}]}. */
    public static final String ERRORS_PROPERTY = "errors";

    /** Problem member of 5xx bodies that points at the server-side log entry. */
    public static final String CORRELATION_ID_PROPERTY = "correlation_id";

    /** A caller-supplied correlation id (e.g. set by the gateway) is reused, so logs line up. */
    public static final String CORRELATION_ID_HEADER = "X-Correlation-Id";

    /** RFC 9457's type for problems that need no more than their status; always written out. */
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    static final String SERVER_ERROR_DETAIL =
            "The server could not complete the request; quote the correlation_id when reporting this.";

    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);

    private static final Set<Integer> UPSTREAM_FAILURES = Set.of(502, 503, 504);

    private final JsonFieldNames jsonFieldNames;

    /** Reports body fields by the names of Jackson's default mapper, which honours {@code @JsonProperty}. */
    public ProblemMapper() {
        this(JsonMapper.shared());
    }

    /**
     * @param bodyMapper the mapper that reads request bodies: body fields are reported by the names it reads
     *     ({@code device_id}, {@code items[0].file_name}), not by their Java names
     */
    public ProblemMapper(ObjectMapper bodyMapper) {
        this.jsonFieldNames = new JsonFieldNames(bodyMapper);
    }

    /**
     * The problem response for an exception raised while handling an exchange.
     *
     * @param error what went wrong
     * @param exchange the request it went wrong for
     * @return body and headers to send
     */
    public ProblemResponse resolve(Throwable error, ServerWebExchange exchange) {
        // nobody reads the answer to a client that hung up mid-request, and its leaving is no failure of ours
        ProblemResponse response = clientHungUp(error, exchange)
                ? plain(HttpStatus.BAD_REQUEST, "The client closed the connection before the request was complete.")
                : map(error);
        ProblemDetail body = response.body();
        if (body.getType() == null) {
            body.setType(ABOUT_BLANK);
        }
        if (body.getTitle() == null) {
            HttpStatus status = HttpStatus.resolve(body.getStatus());
            body.setTitle(status != null ? status.getReasonPhrase() : "Error");
        }
        if (body.getInstance() == null) {
            body.setInstance(instance(exchange));
        }
        if (body.getStatus() >= 500 && !(error instanceof ProblemException)) {
            String correlationId = correlationId(exchange);
            body.setDetail(SERVER_ERROR_DETAIL);
            body.setProperty(CORRELATION_ID_PROPERTY, correlationId);
            if (isUpstreamFailure(error)) {
                // a 502/503/504 the framework declared (the gateway's backend down or too slow): expected, and its
                // stack trace says nothing its message does not; a client stalling a request body can cause it
                log.warn(
                        "Request failed [correlation_id={}] {} {}: {}",
                        correlationId,
                        exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath().value(),
                        error.toString());
            } else {
                log.error(
                        "Request failed [correlation_id={}] {} {}",
                        correlationId,
                        exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath().value(),
                        error);
            }
        } else if (body.getStatus() >= 500) {
            String correlationId = correlationId(exchange);
            body.setProperty(CORRELATION_ID_PROPERTY, correlationId);
            log.warn(
                    "Request failed [correlation_id={}] {} {}: {}",
                    correlationId,
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(),
                    error.toString(),
                    error.getCause());
        }
        return response;
    }

    private ProblemResponse map(Throwable error) {
        if (error instanceof WebExchangeBindException bind) {
            return invalid(
                    "The request content is invalid.",
                    bindingErrors(bind.getFieldErrors(), bodyType(bind.getMethodParameter(), bind.getTarget())),
                    bind);
        }
        if (error instanceof HandlerMethodValidationException validation) {
            return invalid("The request is invalid.", parameterErrors(validation), validation);
        }
        if (error instanceof ConstraintViolationException violations) {
            return invalid("The request is invalid.", violationErrors(violations), null);
        }
        if (error instanceof ServerWebInputException input) {
            return inputError(input);
        }
        if (hasCause(error, DataBufferLimitException.class)) {
            return plain(HttpStatus.CONTENT_TOO_LARGE, "The request content is too large.");
        }
        if (hasCause(error, ReadTimeoutException.class)) {
            // the client stopped sending a body it promised (dashboard.server.read-timeout): its fault, not ours
            return plain(HttpStatus.REQUEST_TIMEOUT, "The request body stopped arriving before it was complete.");
        }
        if (error instanceof ErrorResponse errorResponse) {
            ProblemDetail body = copy(errorResponse.getBody(), errorResponse.getStatusCode());
            HttpHeaders headers = new HttpHeaders();
            headers.addAll(errorResponse.getHeaders());
            return new ProblemResponse(body, headers);
        }
        if (error instanceof AccessDeniedException) {
            return plain(HttpStatus.FORBIDDEN, "You may not perform this request.");
        }
        if (error instanceof AuthenticationException) {
            return plain(HttpStatus.UNAUTHORIZED, "Valid credentials are required.");
        }
        return plain(HttpStatus.INTERNAL_SERVER_ERROR, SERVER_ERROR_DETAIL);
    }

    private ProblemResponse inputError(ServerWebInputException input) {
        if (hasCause(input, DataBufferLimitException.class)) {
            return plain(HttpStatus.CONTENT_TOO_LARGE, "The request content is too large.");
        }
        List<FieldViolation> errors = new ArrayList<>();
        String detail;
        if (input instanceof MissingRequestValueException missing) {
            detail = "Required " + missing.getLabel() + " '" + missing.getName() + "' is missing.";
            errors.add(new FieldViolation(missing.getName(), "is required"));
        } else if (input.getCause() instanceof TypeMismatchException mismatch) {
            String field = parameterName(input.getMethodParameter(), mismatch.getPropertyName());
            Class<?> type = mismatch.getRequiredType();
            detail = "The value of '" + field + "' has the wrong type.";
            errors.add(new FieldViolation(
                    field,
                    type != null
                            ? "must be a valid " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                            : "has the wrong type"));
        } else if (findCause(input, JacksonException.class) instanceof JacksonException json) {
            JsonReadError read = JsonReadError.of(json);
            detail = read.detail();
            if (read.field() != null) {
                errors.add(new FieldViolation(read.field(), read.message()));
            }
        } else {
            // Spring's own reasons describe the input ("Required request body is missing"), never internals
            detail = StringUtils.hasText(input.getReason()) ? input.getReason() : "The request is invalid.";
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        if (!errors.isEmpty()) {
            body.setProperty(ERRORS_PROPERTY, errors);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(input.getHeaders());
        return new ProblemResponse(body, headers);
    }

    private static ProblemResponse invalid(String detail, List<FieldViolation> errors, ErrorResponse headersFrom) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setProperty(ERRORS_PROPERTY, errors);
        HttpHeaders headers = new HttpHeaders();
        if (headersFrom != null) {
            headers.addAll(headersFrom.getHeaders());
        }
        return new ProblemResponse(body, headers);
    }

    private static ProblemResponse plain(HttpStatus status, String detail) {
        return new ProblemResponse(ProblemDetail.forStatusAndDetail(status, detail), new HttpHeaders());
    }

    /** A copy, so that mapping never mutates the body of a (possibly shared) exception instance. */
    private static ProblemDetail copy(ProblemDetail original, HttpStatusCode status) {
        ProblemDetail body = ProblemDetail.forStatus(status);
        body.setType(original.getType());
        body.setTitle(original.getTitle());
        body.setDetail(original.getDetail());
        body.setInstance(original.getInstance());
        if (original.getProperties() != null) {
            original.getProperties().forEach(body::setProperty);
        }
        return body;
    }

    private List<FieldViolation> bindingErrors(List<FieldError> fieldErrors, Type bodyType) {
        return fieldErrors.stream()
                .map(error -> new FieldViolation(
                        jsonFieldNames.jsonPath(bodyType, error.getField()),
                        // binding failures carry conversion internals in their default message
                        error.isBindingFailure() ? "has an invalid value" : message(error)))
                .toList();
    }

    /**
     * The declared type of a validated body, generics included ({@code List<Item>}); for a {@code Mono<Item>} body
     * the type it emits. Falls back to the validated object's class.
     */
    private static Type bodyType(MethodParameter parameter, Object target) {
        if (parameter != null) {
            ResolvableType type = ResolvableType.forMethodParameter(parameter);
            Class<?> raw = type.resolve();
            if (raw != null && Publisher.class.isAssignableFrom(raw)) {
                type = type.getGeneric(0);
            }
            if (type.resolve() != null) {
                return type.getType();
            }
        }
        return target != null ? target.getClass() : null;
    }

    private List<FieldViolation> parameterErrors(HandlerMethodValidationException validation) {
        List<FieldViolation> errors = new ArrayList<>();
        for (ParameterValidationResult result : validation.getParameterValidationResults()) {
            if (result instanceof ParameterErrors parameterErrors) {
                // errors of a list's or map's element are relative to that element
                Type bodyType = parameterErrors.getContainer() != null && parameterErrors.getArgument() != null
                        ? parameterErrors.getArgument().getClass()
                        : bodyType(result.getMethodParameter(), parameterErrors.getArgument());
                errors.addAll(bindingErrors(parameterErrors.getFieldErrors(), bodyType));
                parameterErrors
                        .getGlobalErrors()
                        .forEach(error -> errors.add(
                                new FieldViolation(parameterName(result.getMethodParameter(), null), message(error))));
            } else {
                String name = parameterName(result.getMethodParameter(), null);
                result.getResolvableErrors().forEach(error -> errors.add(new FieldViolation(name, message(error))));
            }
        }
        validation
                .getCrossParameterValidationResults()
                .forEach(error -> errors.add(new FieldViolation("", message(error))));
        return errors;
    }

    private List<FieldViolation> violationErrors(ConstraintViolationException exception) {
        return exception.getConstraintViolations().stream()
                .map(violation -> new FieldViolation(fieldName(violation), violation.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldViolation::field))
                .toList();
    }

    /**
     * A violation of a validated request object ({@code validator.validate(request)}) names the field as the client
     * sent it; one of a method parameter keeps its path.
     */
    private String fieldName(ConstraintViolation<?> violation) {
        String path = propertyPath(violation);
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                return path;
            }
        }
        return jsonFieldNames.jsonPath(violation.getRootBeanClass(), path);
    }

    /** {@code create.request.name} for a method parameter becomes {@code request.name}. */
    private static String propertyPath(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            // a node in a list or map carries the index of the container before it: items[1].name
            if (node.isInIterable() && !path.isEmpty()) {
                Object index = node.getIndex() != null ? node.getIndex() : node.getKey();
                path.append('[').append(index != null ? index : "").append(']');
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && !name.startsWith("<")) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(name);
            }
        }
        return path.toString();
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }

    /** The name the client used (e.g. {@code task_id}), not the Java parameter name. */
    private static String parameterName(MethodParameter parameter, String fallback) {
        if (parameter != null) {
            RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
            if (requestParam != null && StringUtils.hasText(requestParam.name())) {
                return requestParam.name();
            }
            PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
            if (pathVariable != null && StringUtils.hasText(pathVariable.name())) {
                return pathVariable.name();
            }
            RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
            if (requestHeader != null && StringUtils.hasText(requestHeader.name())) {
                return requestHeader.name();
            }
            RequestPart requestPart = parameter.getParameterAnnotation(RequestPart.class);
            if (requestPart != null && StringUtils.hasText(requestPart.name())) {
                return requestPart.name();
            }
            if (parameter.getParameterName() != null) {
                return parameter.getParameterName();
            }
        }
        return fallback != null ? fallback : "";
    }

    /**
     * An error of the kind a vanished client causes, while this request's own connection is closed: the same errors
     * (a reset connection) also come from a gateway's upstream, with the client still waiting for its answer.
     */
    private static boolean clientHungUp(Throwable error, ServerWebExchange exchange) {
        return DisconnectedClientHelper.isClientDisconnectedException(error)
                && ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection
                && !connection.channel().isActive();
    }

    private static boolean isUpstreamFailure(Throwable error) {
        return error instanceof ErrorResponse response
                && UPSTREAM_FAILURES.contains(response.getStatusCode().value());
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        return findCause(error, type) != null;
    }

    private static Throwable findCause(Throwable error, Class<? extends Throwable> type) {
        Throwable current = error;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (type.isInstance(current)) {
                return current;
            }
            current = current.getCause();
        }
        return null;
    }

    /** The request path as the problem's {@code instance}, or null for a path that is no valid URI. */
    static URI instance(ServerWebExchange exchange) {
        try {
            return URI.create(exchange.getRequest().getPath().value());
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    /**
     * The caller's {@value #CORRELATION_ID_HEADER} when it looks sane, else a fresh random id; not a UUID,
     * whose SecureRandom may block an event-loop thread.
     */
    static String correlationId(ServerWebExchange exchange) {
        String supplied = exchange.getRequest().getHeaders().getFirst(CORRELATION_ID_HEADER);
        if (supplied != null && supplied.matches("[A-Za-z0-9._-]{1,64}")) {
            return supplied;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
