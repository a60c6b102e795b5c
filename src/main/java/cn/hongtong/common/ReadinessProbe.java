package cn.hongtong.common;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Turns one asynchronous round trip to a dependency into a readiness answer: UP when it
 * succeeds in time, DOWN with the reason otherwise. Never blocks and never fails itself.
 */
public final class ReadinessProbe {

    private ReadinessProbe() {}

    public static Uni<HealthCheckResponse> probe(String name, HealthConfig config, Uni<?> roundTrip) {
        return roundTrip
                .ifNoItem()
                .after(config.timeout())
                .fail()
                .map(ignored -> HealthCheckResponse.up(name))
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named(name)
                        .down()
                        .withData("reason", reason(failure, config))
                        .build());
    }

    private static String reason(Throwable failure, HealthConfig config) {
        if (failure instanceof TimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? "unreachable" : message;
    }
}
