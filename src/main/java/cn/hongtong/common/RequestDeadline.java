package cn.hongtong.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers 503 problem+json to a request still unanswered at the deadline (see
 * {@link HttpConfig#deadline()}). Streams whose headers are out (server-sent events) and the
 * management endpoints (health has its own probe timeout) are left alone.
 */
@ApplicationScoped
class RequestDeadline {

    /** Before every other route of ours. */
    private static final int ORDER = -1000;

    private final Problems problems;
    private final HttpConfig config;
    private final MeterRegistry metrics;

    RequestDeadline(Problems problems, HttpConfig config, MeterRegistry metrics) {
        this.problems = problems;
        this.config = config;
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::arm);
    }

    private void arm(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/q/")) {
            ctx.next();
            return;
        }
        long timer = ctx.vertx().setTimer(config.deadline().toMillis(), id -> expire(ctx));
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    private void expire(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        Log.warnf(
                "%s %s unanswered after %d ms: 503",
                ctx.request().method(), ctx.request().path(), config.deadline().toMillis());
        metrics.counter("hongtong.http.deadline.expired").increment();
        response.putHeader("Retry-After", "5");
        problems.write(
                ctx,
                CommonProblems.UNAVAILABLE,
                LocalizedText.of("依赖的服务未及时响应，请稍后重试", "A service we depend on did not answer in time; retry shortly"),
                null);
    }
}
