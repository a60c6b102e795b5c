package cn.hongtong.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Builds problem+json answers, for JAX-RS exception mappers and for the raw HTTP layer alike, so
 * that every error the API gives has one shape.
 */
@ApplicationScoped
public class Problems {

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Problem body(
            ProblemType type,
            LocalizedText detail,
            Language language,
            String instance,
            List<Problem.FieldError> errors,
            String incident) {
        LocalizedText text = detail != null ? detail : type.title();
        return new Problem(
                type.uri(),
                type.title().in(language),
                type.status(),
                text.in(language),
                instance,
                errors == null || errors.isEmpty() ? null : errors,
                incident);
    }

    public Response.ResponseBuilder response(
            ProblemType type,
            LocalizedText detail,
            String acceptLanguage,
            String instance,
            List<Problem.FieldError> errors,
            String incident) {
        Language language = Language.fromAcceptLanguage(acceptLanguage);
        return Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .header("Content-Language", language.tag())
                .entity(body(type, detail, language, instance, errors, incident));
    }

    /** Answers directly on the Vert.x response, for errors that never reach a JAX-RS resource. */
    public void write(RoutingContext ctx, ProblemType type, LocalizedText detail, String incident) {
        var response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            // Part of a body is already out: the only honest thing left is to cut the connection.
            response.reset();
            return;
        }
        Language language = Language.fromAcceptLanguage(ctx.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE));
        Problem problem = body(type, detail, language, ctx.request().path(), null, incident);
        String json;
        try {
            json = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            Log.error("could not serialize a problem", e);
            json = "{\"type\":\"" + type.uri() + "\",\"status\":" + type.status() + "}";
        }
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("Content-Language", language.tag())
                .end(json);
    }

    /** A short id that ties an unexpected failure in a response to its log line. */
    public static String newIncident() {
        return UUID.randomUUID().toString();
    }
}
