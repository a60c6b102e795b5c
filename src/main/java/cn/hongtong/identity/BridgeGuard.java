package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses to run the WeChat bridge on a realm that anyone could administer: the dev realm's
 * secrets are in this repository, and an import of it (or of a realm file whose variables were
 * not set, leaving the placeholder as the secret) gives the user-management client a secret
 * anyone can read. Before the first login (at start, then every 10 s until Keycloak answers), the
 * bridge checks that its own configured secrets are none of the known values and that Keycloak
 * accepts none of them for any confidential client: Keycloak answers 401 to a wrong client
 * secret, and anything else (a token, or 400 "not enabled to retrieve service account") means
 * the secret was right. Until the check passes, logins and renewals answer 503; when it fails
 * they do for good and every attempt logs why.
 */
@ApplicationScoped
public class BridgeGuard {

    /**
     * Secrets an attacker can know: the dev realm's defaults, and what Keycloak keeps when a
     * realm file's variable was not set at import. BridgeGuardTest keeps this list in step with
     * bin/keycloak/hongtong-realm.json.
     */
    static final List<String> KNOWN_SECRETS = List.of(
            "api-secret-dev-only",
            "bridge-secret-dev-only",
            "bridge-admin-secret-dev-only",
            "${HONGTONG_API_CLIENT_SECRET}",
            "${HONGTONG_BRIDGE_SECRET}",
            "${HONGTONG_BRIDGE_ADMIN_SECRET}",
            "",
            "secret",
            "changeme",
            "CHANGE_ME");

    enum State {
        /** Not checked yet, or Keycloak did not answer the last check. */
        PENDING,
        /** No known secret is configured or accepted. */
        VERIFIED,
        /** A known secret is configured or accepted: the bridge stays off. */
        REFUSED
    }

    private final IdentityConfig.Keycloak config;
    private final WebClient client;
    private final Vertx vertx;
    private final String tokenUrl;
    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
    private final AtomicReference<Uni<State>> running = new AtomicReference<>();
    private volatile String refusal;

    BridgeGuard(Vertx vertx, IdentityConfig config) {
        this.vertx = vertx;
        this.config = config.keycloak();
        this.client = WebClient.create(vertx);
        this.tokenUrl = this.config.realmUrl().replaceFirst("/+$", "") + "/protocol/openid-connect/token";
        if (!this.config.refuseDevSecrets()) {
            state.set(State.VERIFIED);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (state.get() == State.PENDING) {
            checkUntilAnswered();
        }
    }

    State state() {
        return state.get();
    }

    /** Succeeds when the bridge may call Keycloak; a retryable 503 otherwise. */
    Uni<Void> ready() {
        State now = state.get();
        if (now == State.VERIFIED) {
            return Uni.createFrom().voidItem();
        }
        Uni<State> check = now == State.PENDING ? check() : Uni.createFrom().item(now);
        return check.map(result -> {
                    if (result != State.VERIFIED) {
                        if (result == State.REFUSED) {
                            Log.errorf("WeChat login refused: %s", refusal);
                        }
                        throw ProblemException.retryable(
                                IdentityProblems.IDENTITY_PROVIDER_UNAVAILABLE,
                                LocalizedText.of(
                                        "认证服务暂时不可用，请稍后重试", "The identity provider is unavailable; retry shortly"),
                                Duration.ofSeconds(30));
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    /** One check (shared by concurrent callers); PENDING when Keycloak did not answer. */
    Uni<State> check() {
        Uni<State> existing = running.get();
        if (existing != null) {
            return existing;
        }
        Uni<State> fresh = runCheck().memoize().indefinitely();
        if (!running.compareAndSet(null, fresh)) {
            return running.get();
        }
        return fresh.eventually(() -> running.set(null));
    }

    private Uni<State> runCheck() {
        List<String> configured = List.of(config.bridgeClientSecret(), config.adminClientSecret());
        for (String secret : configured) {
            if (KNOWN_SECRETS.contains(secret) || secret.startsWith("${")) {
                return Uni.createFrom()
                        .item(refuse("a known development or placeholder secret is configured "
                                + "(hongtong.identity.keycloak.*-client-secret)"));
            }
        }
        List<Uni<String>> probes = new ArrayList<>();
        for (String clientId : config.confidentialClients()) {
            for (String secret : KNOWN_SECRETS) {
                if (!secret.isEmpty()) {
                    probes.add(accepted(clientId, secret));
                }
            }
        }
        return Multi.createFrom()
                .iterable(probes)
                .onItem()
                .transformToUniAndConcatenate(u -> u)
                .collect()
                .asList()
                .map(results -> {
                    List<String> accepted = results.stream()
                            .filter(r -> r != null && !r.isEmpty())
                            .toList();
                    if (!accepted.isEmpty()) {
                        return refuse(
                                "Keycloak accepts a known development secret for client(s) " + accepted
                                        + ": import k8s/base/keycloak/hongtong-realm.prod.json with every variable set, or rotate the secrets");
                    }
                    state.compareAndSet(State.PENDING, State.VERIFIED);
                    Log.info("bridge guard: Keycloak accepts no known development secret");
                    return state.get();
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf(
                            "bridge guard: Keycloak did not answer the secret check (%s); logins wait",
                            failure.getClass().getSimpleName());
                    return state.get();
                });
    }

    /** The client id when Keycloak accepts {@code secret} for it, "" when it refuses it. */
    private Uni<String> accepted(String clientId, String secret) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", clientId)
                .add("client_secret", secret);
        return client.postAbs(tokenUrl)
                .timeout(config.timeout().toMillis())
                .sendForm(form)
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 401) {
                        return "";
                    }
                    if (status >= 500) {
                        throw new IllegalStateException("token endpoint answered " + status);
                    }
                    return clientId;
                });
    }

    private State refuse(String why) {
        refusal = why;
        state.set(State.REFUSED);
        Log.errorf("bridge guard: the WeChat bridge stays off: %s", why);
        return State.REFUSED;
    }

    private void checkUntilAnswered() {
        check().subscribe()
                .with(
                        result -> {
                            if (result == State.PENDING) {
                                vertx.setTimer(config.devSecretCheckRetry().toMillis(), id -> checkUntilAnswered());
                            }
                        },
                        failure -> vertx.setTimer(config.devSecretCheckRetry().toMillis(), id -> checkUntilAnswered()));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
