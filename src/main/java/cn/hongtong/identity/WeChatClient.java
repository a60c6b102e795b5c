package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat's login APIs: the mini-program's {@code sns/jscode2session} and the app's
 * {@code sns/oauth2/access_token} and {@code sns/userinfo}. WeChat answers HTTP 200 with an
 * {@code errcode} on failure (and no {@code errcode} at all on success), often as text/plain.
 * {@code session_key} and WeChat's access tokens never leave this class's callers.
 */
@ApplicationScoped
class WeChatClient {

    /** WeChat is busy: retried once, then the caller is told to retry. */
    static final int BUSY = -1;

    private final WebClient client;
    private final IdentityConfig.WeChat config;
    private final ObjectMapper mapper;

    WeChatClient(Vertx vertx, IdentityConfig config, ObjectMapper mapper) {
        this.client = WebClient.create(vertx);
        this.config = config.wechat();
        this.mapper = mapper;
    }

    /** Who a mini-program login code belongs to. */
    record MiniProgramSession(String openid, String unionid) {}

    /** Who an app authorization code belongs to, with the token to read their profile. */
    record AppAuthorization(String openid, String unionid, String accessToken) {}

    record UserInfo(String nickname, String avatarUrl, String unionid) {}

    Uni<MiniProgramSession> code2Session(String code) {
        IdentityConfig.AppCredentials app = config.miniProgram();
        return call(
                        "sns/jscode2session",
                        () -> get("/sns/jscode2session")
                                .addQueryParam("appid", app.appId())
                                .addQueryParam("secret", app.appSecret())
                                .addQueryParam("js_code", code)
                                .addQueryParam("grant_type", "authorization_code"))
                .map(json -> new MiniProgramSession(text(json, "openid"), text(json, "unionid")));
    }

    Uni<AppAuthorization> appAccessToken(String code) {
        IdentityConfig.AppCredentials app = config.app();
        return call(
                        "sns/oauth2/access_token",
                        () -> get("/sns/oauth2/access_token")
                                .addQueryParam("appid", app.appId())
                                .addQueryParam("secret", app.appSecret())
                                .addQueryParam("code", code)
                                .addQueryParam("grant_type", "authorization_code"))
                .map(json ->
                        new AppAuthorization(text(json, "openid"), text(json, "unionid"), text(json, "access_token")));
    }

    Uni<UserInfo> userInfo(String accessToken, String openid) {
        return call(
                        "sns/userinfo",
                        () -> get("/sns/userinfo")
                                .addQueryParam("access_token", accessToken)
                                .addQueryParam("openid", openid)
                                .addQueryParam("lang", "zh_CN"))
                .map(json -> new UserInfo(text(json, "nickname"), text(json, "headimgurl"), text(json, "unionid")));
    }

    private HttpRequest<Buffer> get(String path) {
        return client.getAbs(config.apiBaseUrl().replaceFirst("/+$", "") + path)
                .timeout(config.timeout().toMillis());
    }

    private Uni<JsonNode> call(String api, Supplier<HttpRequest<Buffer>> request) {
        return attempt(api, request)
                .onFailure(WeChatClient::isBusy)
                .retry()
                .atMost(1)
                .onFailure(WeChatClient::isBusy)
                .transform(busy -> unavailable(api, "busy (-1) twice"));
    }

    private Uni<JsonNode> attempt(String api, Supplier<HttpRequest<Buffer>> request) {
        return Uni.createFrom()
                .deferred(() -> request.get().send())
                // Never the failure's message: Vert.x puts the whole request URI there, secret included.
                .onFailure()
                .transform(failure -> unavailable(api, failure.getClass().getSimpleName()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw unavailable(api, "HTTP " + response.statusCode());
                    }
                    JsonNode json;
                    try {
                        json = mapper.readTree(response.bodyAsString());
                    } catch (Exception e) {
                        throw unavailable(api, "unreadable answer");
                    }
                    if (json == null || !json.isObject()) {
                        throw unavailable(api, "unreadable answer");
                    }
                    int errcode = json.path("errcode").asInt(0);
                    if (errcode != 0) {
                        throw errorFor(api, errcode, json.path("errmsg").asText(""));
                    }
                    return json;
                });
    }

    private static boolean isBusy(Throwable failure) {
        return failure instanceof BusyException;
    }

    /** WeChat's -1: retried once before the caller is told. */
    private static final class BusyException extends RuntimeException {
        BusyException() {
            super("WeChat busy", null, false, false);
        }
    }

    private static RuntimeException errorFor(String api, int errcode, String errmsg) {
        return switch (errcode) {
            case BUSY -> new BusyException();
            case 40029, 40163 ->
                new ProblemException(
                        IdentityProblems.WECHAT_CODE_INVALID,
                        LocalizedText.of(
                                "登录凭证无效或已被使用，请重新登录", "The login code is invalid or was already used; log in again"));
            case 45011 ->
                ProblemException.retryable(
                        IdentityProblems.WECHAT_RATE_LIMITED,
                        LocalizedText.of("登录过于频繁，请稍后再试", "Too many logins; try again shortly"),
                        Duration.ofSeconds(60));
            case 40226 ->
                new ProblemException(
                        IdentityProblems.WECHAT_HIGH_RISK_USER,
                        LocalizedText.of(
                                "微信判定该账号存在风险，请在微信中完成安全验证后再试",
                                "WeChat flags this account as high risk; complete WeChat's security check first"));
            default -> {
                // Anything else (bad appid or secret, expired access token...) is ours to fix. WeChat's
                // request id is what its support asks for; the rest of errmsg may quote the request.
                Log.errorf("WeChat %s answered errcode %d (%s)", api, errcode, requestId(errmsg));
                yield unavailable(api, "errcode " + errcode);
            }
        };
    }

    private static final Pattern REQUEST_ID = Pattern.compile("rid: ?([0-9a-f-]{8,64})");

    /** WeChat's request id ({@code rid: ...} at the end of errmsg), or "no rid". */
    static String requestId(String errmsg) {
        Matcher m = REQUEST_ID.matcher(errmsg == null ? "" : errmsg);
        return m.find() ? "rid " + m.group(1) : "no rid";
    }

    /** Logs the API and a reason that is never a URI, a body or an identifier. */
    private static ProblemException unavailable(String api, String reason) {
        Log.warnf("WeChat %s unavailable: %s", api, reason);
        return ProblemException.retryable(
                IdentityProblems.WECHAT_UNAVAILABLE,
                LocalizedText.of("微信服务暂时不可用，请稍后重试", "WeChat is temporarily unavailable; retry shortly"),
                Duration.ofSeconds(5));
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
