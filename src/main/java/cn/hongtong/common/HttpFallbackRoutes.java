package cn.hongtong.common;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem+json for what never reaches a resource: routes nobody serves, bodies over the size
 * limit, and failures raised in the HTTP layer itself.
 */
@ApplicationScoped
class HttpFallbackRoutes {

    /** Just before Quarkus's own upload limit, which would answer 413 with an empty body. */
    private static final int BODY_LIMIT_ORDER = -3;

    private final Problems problems;
    private final Optional<MemorySize> maxBodySize;

    HttpFallbackRoutes(
            Problems problems,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.problems = problems;
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route()
                .order(BODY_LIMIT_ORDER)
                .handler(ctx -> rejectDeclaredOversize(ctx, limit.asLongValue())));
        router.route().order(Integer.MAX_VALUE).handler(this::notFound);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    private void rejectDeclaredOversize(RoutingContext ctx, long limit) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                problems.write(
                        ctx,
                        CommonProblems.MALFORMED_REQUEST,
                        LocalizedText.of("Content-Length 请求头不合法", "The Content-Length header is invalid"),
                        null);
                return;
            }
            if (length > limit) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                problems.write(ctx, CommonProblems.PAYLOAD_TOO_LARGE, tooLarge(limit), null);
                return;
            }
        }
        ctx.next();
    }

    private void notFound(RoutingContext ctx) {
        problems.write(
                ctx,
                CommonProblems.NOT_FOUND,
                LocalizedText.of(
                        "没有这个地址：" + ctx.request().path(),
                        "Nothing is served at " + ctx.request().path()),
                null);
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (ctx.response().ended()) {
            // Answered already (503 at the request deadline); a late result has nowhere to go.
            Log.debugf(
                    "late failure of %s %s dropped: %s",
                    ctx.request().method(),
                    ctx.request().path(),
                    failure == null ? ctx.statusCode() : failure.getMessage());
            return;
        }
        int status = ctx.statusCode();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problems.write(ctx, CommonProblems.UNAUTHENTICATED, null, null);
        } else if (failure instanceof ForbiddenException) {
            problems.write(ctx, CommonProblems.FORBIDDEN, null, null);
        } else if (status == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            problems.write(
                    ctx,
                    CommonProblems.PAYLOAD_TOO_LARGE,
                    maxBodySize.map(s -> tooLarge(s.asLongValue())).orElse(null),
                    null);
        } else if (status >= 400 && status < 500) {
            if (status == 401) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
            }
            problems.write(ctx, CommonProblems.forStatus(status), null, null);
        } else {
            String incident = Problems.newIncident();
            Log.errorf(
                    failure,
                    "incident %s: HTTP layer failure on %s %s (status %d)",
                    incident,
                    ctx.request().method(),
                    ctx.request().path(),
                    status);
            problems.write(ctx, status == 503 ? CommonProblems.UNAVAILABLE : CommonProblems.INTERNAL, null, incident);
        }
    }

    private static LocalizedText tooLarge(long limit) {
        return LocalizedText.of("请求体超过上限 " + limit + " 字节", "The body exceeds the limit of " + limit + " bytes");
    }
}
