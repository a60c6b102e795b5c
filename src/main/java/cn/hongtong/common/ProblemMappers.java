package cn.hongtong.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every exception that leaves a resource to problem+json; nothing else answers errors. */
class ProblemMappers {

    private static final String BEARER_CHALLENGE = "Bearer";

    private final Problems problems;

    ProblemMappers(Problems problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    Response domain(ProblemException e, HttpServerRequest request) {
        Response.ResponseBuilder builder =
                problems.response(e.type(), e.detail(), language(request), path(request), e.errors(), null);
        if (e.retryAfter() != null) {
            builder.header("Retry-After", Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return problems.response(
                        CommonProblems.VALIDATION_FAILED,
                        LocalizedText.of("请求中有不合法的字段，详见 errors", "Some fields are invalid, see errors"),
                        language(request),
                        path(request),
                        errors,
                        null)
                .build();
    }

    /** Also names Jackson's mismatched-input family, or the extension's built-in mapper would answer it. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class
    })
    Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        String where = e instanceof JsonMappingException mapping ? jsonPath(mapping) : "";
        LocalizedText detail = where.isEmpty()
                ? LocalizedText.of("请求体不是合法的 JSON 或结构不符", "The body is not valid JSON or has the wrong shape")
                : LocalizedText.of("请求体字段 " + where + " 的值不合法", "The body has an invalid value at " + where);
        List<Problem.FieldError> errors =
                where.isEmpty() ? null : List.of(new Problem.FieldError(where, "invalid value"));
        return problems.response(
                        CommonProblems.MALFORMED_REQUEST, detail, language(request), path(request), errors, null)
                .build();
    }

    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    Response unauthenticated(HttpServerRequest request) {
        return problems.response(
                        CommonProblems.UNAUTHENTICATED,
                        LocalizedText.of("缺少有效的访问令牌", "A valid bearer token is required"),
                        language(request),
                        path(request),
                        null,
                        null)
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE)
                .build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return problems.response(
                        CommonProblems.FORBIDDEN,
                        LocalizedText.of("当前账号没有执行此操作的权限", "Your account may not do this"),
                        language(request),
                        path(request),
                        null,
                        null)
                .build();
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e, HttpServerRequest request) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status < 400) {
            return original;
        }
        String incident = null;
        if (status >= 500) {
            incident = Problems.newIncident();
            Log.errorf(e, "incident %s: %s %s answered %d", incident, request.method(), path(request), status);
        }
        ProblemType type = CommonProblems.forStatus(status);
        LocalizedText detail = null;
        if (status == 404 && e.getCause() != null) {
            // JAX-RS answers 404 when a query or path parameter cannot be converted; for a
            // client that is a malformed request, not a missing resource.
            type = CommonProblems.MALFORMED_REQUEST;
            detail = LocalizedText.of("请求参数格式不正确", "A request parameter has an invalid format");
        }
        Response.ResponseBuilder builder =
                problems.response(type, detail, language(request), path(request), null, incident);
        if (original != null && original.getHeaderString(HttpHeaders.ALLOW) != null) {
            builder.header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW));
        }
        if (original != null && original.getHeaderString("Retry-After") != null) {
            builder.header("Retry-After", original.getHeaderString("Retry-After"));
        }
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        return builder.build();
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e, HttpServerRequest request) {
        if (request.response().ended()) {
            // Answered already (503 at the request deadline); the work finished late and has nowhere to go.
            Log.debugf("late result of %s %s dropped: %s", request.method(), path(request), e.getMessage());
            return Response.status(503).build();
        }
        if (isOutage(e)) {
            Log.warnf("dependency unavailable on %s %s: %s", request.method(), path(request), rootMessage(e));
            return problems.response(
                            CommonProblems.UNAVAILABLE,
                            LocalizedText.of(
                                    "依赖的服务暂时不可用，请稍后重试", "A service we depend on is unavailable; retry shortly"),
                            language(request),
                            path(request),
                            null,
                            null)
                    .header("Retry-After", 5)
                    .build();
        }
        String incident = Problems.newIncident();
        Log.errorf(e, "incident %s: unexpected failure on %s", incident, path(request));
        return problems.response(
                        CommonProblems.INTERNAL,
                        LocalizedText.of(
                                "服务器出现意外错误，请稍后重试；如仍失败请提供事件编号",
                                "An unexpected error occurred; retry later, and quote the incident id if it persists"),
                        language(request),
                        path(request),
                        null,
                        incident)
                .build();
    }

    /**
     * Answers of Redis that mean "not now" rather than "never": it is loading its data after a
     * restart, it is full (maxmemory with noeviction), a script is running too long, it is a
     * replica that cannot take writes, the connection closed under the command, or (in a
     * cluster, when a client did not follow it) the slot moved to another node.
     */
    private static final List<String> REDIS_NOT_NOW = List.of(
            "LOADING",
            "OOM",
            "BUSY",
            "MASTERDOWN",
            "READONLY",
            "TRYAGAIN",
            "CLUSTERDOWN",
            "NOREPLICAS",
            "CONNECTION_CLOSED",
            "MOVED",
            "ASK");

    /**
     * PostgreSQL SQLSTATE classes of an outage: connection exceptions (08), insufficient resources
     * (53), operator intervention (57: shutting down, starting up, terminated by an administrator).
     */
    private static final List<String> POSTGRES_NOT_NOW = List.of("08", "53", "57");

    /** A dependency (database, Redis, an HTTP service) could not be reached, did not answer in time, or said "not now". */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof ConnectTimeoutException
                    || t instanceof ConnectionPoolTooBusyException
                    || t instanceof NoStackTraceTimeoutException
                    || t instanceof ClosedConnectionException
                    || t instanceof HttpClosedException
                    || t instanceof SocketException
                    || message.startsWith("Connection refused")
                    || message.startsWith("Connection reset")
                    || message.equals("Connection is closed")
                    || message.equals("Connection was closed")
                    || message.equals("Pool closed")) {
                return true;
            }
            if (t.getClass().getName().startsWith("io.vertx.redis.client.") && RedisErrors.is(t, REDIS_NOT_NOW)) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && POSTGRES_NOT_NOW.contains(pg.getSqlState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String language(HttpServerRequest request) {
        return request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
    }

    private static String path(HttpServerRequest request) {
        return request.path();
    }

    /**
     * The field a violation is about, as the client names it: the method and a body parameter's
     * own name are left out ({@code seq}, {@code played[2]}); a query or path parameter keeps its
     * name.
     */
    static String field(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD
                    || kind == ElementKind.CROSS_PARAMETER
                    || (kind == ElementKind.PARAMETER && i < nodes.size() - 1)) {
                continue;
            }
            // An index or key on a node says where in the previous container it sits.
            if (node.isInIterable()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                out.append('[').append(at == null ? "" : at).append(']');
            }
            if (kind == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(node.getName());
        }
        return out.isEmpty() ? "request" : out.toString();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
