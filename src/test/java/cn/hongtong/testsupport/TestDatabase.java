package cn.hongtong.testsupport;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The test database for plain (non-Quarkus) tests of SQL against the real PostgreSQL: migrated
 * as the application migrates it, reached through a Vert.x pool as the application reaches it.
 */
public final class TestDatabase {

    private TestDatabase() {}

    private static String port() {
        return Optional.ofNullable(System.getenv("HONGTONG_PG_PORT")).orElse("5432");
    }

    /** Migrates hongtong_test (idempotent) and opens a pool of {@code size} connections on it. */
    public static PgPool migratedPool(Vertx vertx, int size) {
        Flyway.configure()
                .dataSource("jdbc:postgresql://127.0.0.1:" + port() + "/hongtong_test", "hongtong", "hongtong")
                .locations("classpath:db/migration", "classpath:db/demo")
                .placeholders(Map.of("appRole", System.getenv().getOrDefault("HONGTONG_DB_APP_ROLE", "hongtong_app")))
                .load()
                .migrate();
        return PgPool.pool(
                vertx,
                new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(Integer.parseInt(port()))
                        .setDatabase("hongtong_test")
                        .setUser("hongtong")
                        .setPassword("hongtong"),
                new PoolOptions().setMaxSize(size));
    }
}
