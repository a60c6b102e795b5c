package cn.hongtong.identity;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for WeChat's login APIs, built into dev mode only (never into a test or production
 * build), so that a newcomer can log in with codes like {@code demo-1}: code {@code demo-N} is
 * person N (the same person on the mini-program and the app), {@code nounion-N} a person
 * without unionid, anything else an invalid code (errcode 40029).
 */
@IfBuildProfile("dev")
@Path("/dev/wechat/sns")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class DevWeChatResource {

    private static final Pattern CODE = Pattern.compile("(demo|nounion)-([0-9]{1,6})");

    @GET
    @Path("/jscode2session")
    public Map<String, Object> code2Session(@QueryParam("js_code") String code) {
        return answer(code, "mp", null);
    }

    @GET
    @Path("/oauth2/access_token")
    public Map<String, Object> appAccessToken(@QueryParam("code") String code) {
        return answer(code, "app", "dev-access-token-" + code);
    }

    @GET
    @Path("/userinfo")
    public Map<String, Object> userInfo(@QueryParam("openid") String openid) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("openid", openid);
        json.put("nickname", "演示学员");
        json.put("headimgurl", "https://thirdwx.qlogo.cn/mmopen/demo/132");
        return json;
    }

    private static Map<String, Object> answer(String code, String app, String accessToken) {
        Matcher m = code == null ? null : CODE.matcher(code);
        Map<String, Object> json = new LinkedHashMap<>();
        if (m == null || !m.matches()) {
            json.put("errcode", 40029);
            json.put("errmsg", "invalid code, rid: dev");
            return json;
        }
        json.put("openid", "dev-" + app + "-openid-" + m.group(2));
        if (accessToken != null) {
            json.put("access_token", accessToken);
            json.put("expires_in", 7200);
            json.put("scope", "snsapi_userinfo");
        } else {
            json.put("session_key", "dev-session-key");
        }
        if (m.group(1).equals("demo")) {
            json.put("unionid", "dev-unionid-" + m.group(2));
        }
        return json;
    }
}
