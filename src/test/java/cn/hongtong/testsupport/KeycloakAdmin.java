package cn.hongtong.testsupport;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads Keycloak's users through the admin API, with the bridge's provisioning account. */
public final class KeycloakAdmin {

    private KeycloakAdmin() {}

    /** Users linked to identity provider {@code wechat} with this unionid. */
    public static List<Map<String, Object>> usersLinkedTo(String unionid) {
        var config = ConfigProvider.getConfig();
        String realm = config.getValue("quarkus.oidc.auth-server-url", String.class);
        String token = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", config.getValue("hongtong.identity.keycloak.admin-client-id", String.class))
                .formParam(
                        "client_secret",
                        config.getValue("hongtong.identity.keycloak.admin-client-secret", String.class))
                .post(Tokens.tokenEndpoint())
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        return given().auth()
                .oauth2(token)
                .queryParam("idpAlias", "wechat")
                .queryParam("idpUserId", unionid)
                .get(realm.replaceFirst("/realms/([^/]+)$", "/admin/realms/$1") + "/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
