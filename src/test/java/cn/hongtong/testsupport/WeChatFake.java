package cn.hongtong.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An HTTP fake of WeChat's login APIs speaking their wire format: HTTP 200 with a JSON body
 * served as text/plain, no {@code errcode} on success, {@code errcode}/{@code errmsg} on failure.
 * Each test stubs its own codes, so tests never see each other's.
 */
public class WeChatFake implements QuarkusTestResourceLifecycleManager {

    public static final String CODE2SESSION = "/sns/jscode2session";
    public static final String APP_TOKEN = "/sns/oauth2/access_token";
    public static final String USERINFO = "/sns/userinfo";

    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        emptyLearningStream();
        server =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("hongtong.identity.wechat.api-base-url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * The test database starts empty (Flyway clean), so events of an earlier run, whose sessions
     * no longer exist, must not be in the stream either.
     */
    private static void emptyLearningStream() {
        List<String> keys = new ArrayList<>(List.of("learning:events:dead"));
        keys.addAll(Learning.EVENT_STREAMS);
        try {
            RedisNodes.delete(keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the test Redis", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static WireMockServer server() {
        return server;
    }

    public static String newCode() {
        return "code-" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String newUnionid() {
        return "oU" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    }

    /** jscode2session answers who the code belongs to (unionid may be null: not bound to the Open Platform). */
    public static void miniProgramSession(String code, String openid, String unionid) {
        String union = unionid == null ? "" : ",\"unionid\":\"" + unionid + "\"";
        server.stubFor(code2session(code)
                .willReturn(wechatJson(
                        "{\"openid\":\"" + openid + "\",\"session_key\":\"tiihtNczf5v6AKRyjwEUhQ==\"" + union + "}")));
    }

    public static void miniProgramError(String code, int errcode, String errmsg) {
        server.stubFor(code2session(code)
                .willReturn(wechatJson(
                        "{\"errcode\":" + errcode + ",\"errmsg\":\"" + errmsg + ", rid: 6561e6f3-1a2b3c4d\"}")));
    }

    /** Busy (-1) first, then the session: WeChat's transient failure, retried once. */
    public static void miniProgramBusyThenSession(String code, String openid, String unionid) {
        String scenario = "busy-" + code;
        server.stubFor(code2session(code)
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("answered")
                .willReturn(wechatJson("{\"errcode\":-1,\"errmsg\":\"system error\"}")));
        server.stubFor(code2session(code)
                .inScenario(scenario)
                .whenScenarioStateIs("answered")
                .willReturn(wechatJson(
                        "{\"openid\":\"" + openid + "\",\"session_key\":\"k\",\"unionid\":\"" + unionid + "\"}")));
    }

    public static void miniProgramHttpStatus(String code, int status) {
        server.stubFor(
                code2session(code).willReturn(aResponse().withStatus(status).withBody("<html>error</html>")));
    }

    public static void miniProgramSlow(String code, int delayMillis) {
        server.stubFor(code2session(code)
                .willReturn(wechatJson("{\"openid\":\"o\",\"session_key\":\"k\",\"unionid\":\"u\"}")
                        .withFixedDelay(delayMillis)));
    }

    public static void appAuthorization(String code, String openid, String unionid, String accessToken) {
        server.stubFor(get(urlPathEqualTo(APP_TOKEN))
                .withQueryParam("code", equalTo(code))
                .willReturn(wechatJson("{\"access_token\":\"" + accessToken
                        + "\",\"expires_in\":7200,\"refresh_token\":\"r-" + accessToken + "\",\"openid\":\"" + openid
                        + "\",\"scope\":\"snsapi_userinfo\",\"unionid\":\"" + unionid + "\"}")));
    }

    public static void userInfo(String accessToken, String openid, String unionid, String nickname) {
        server.stubFor(get(urlPathEqualTo(USERINFO))
                .withQueryParam("access_token", equalTo(accessToken))
                .willReturn(wechatJson("{\"openid\":\"" + openid + "\",\"nickname\":\"" + nickname
                        + "\",\"sex\":1,\"province\":\"Guizhou\",\"city\":\"Guiyang\",\"country\":\"CN\","
                        + "\"headimgurl\":\"https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6/132\","
                        + "\"privilege\":[],\"unionid\":\"" + unionid + "\"}")));
    }

    /** userinfo answers only after {@code delayMillis}: longer than the client's timeout, it times out. */
    public static void userInfoSlow(String accessToken, int delayMillis) {
        server.stubFor(get(urlPathEqualTo(USERINFO))
                .withQueryParam("access_token", equalTo(accessToken))
                .willReturn(wechatJson("{\"openid\":\"o\",\"nickname\":\"n\"}").withFixedDelay(delayMillis)));
    }

    public static int requestsFor(String path, String param, String value) {
        return server.countRequestsMatching(getRequestedFor(urlPathEqualTo(path))
                        .withQueryParam(param, equalTo(value))
                        .build())
                .getCount();
    }

    private static MappingBuilder code2session(String code) {
        return get(urlPathEqualTo(CODE2SESSION))
                .withQueryParam("js_code", equalTo(code))
                .withQueryParam("grant_type", equalTo("authorization_code"));
    }

    private static ResponseDefinitionBuilder wechatJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/plain")
                .withBody(body);
    }
}
