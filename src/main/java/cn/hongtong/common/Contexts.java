package cn.hongtong.common;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Keeps reactive pipelines on the caller's Vert.x context. Results of SDKs with threads of their
 * own (the MinIO client's HTTP threads) and of blocking steps on worker threads come back on the
 * context that asked for them, where Hibernate Reactive and the request's state live.
 */
public final class Contexts {

    private Contexts() {}

    /** {@code uni}, its item or failure delivered on the Vert.x context current at subscription, if any. */
    public static <T> Uni<T> onCallerContext(Uni<T> uni) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /** Runs blocking work on a worker thread and comes back to the caller's context. */
    public static <T> Uni<T> blocking(Supplier<T> work) {
        return onCallerContext(Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }
}
