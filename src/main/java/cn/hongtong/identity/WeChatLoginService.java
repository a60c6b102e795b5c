package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.common.RateLimiter;
import cn.hongtong.identity.IdentityDtos.LoginResponse;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Logging in with WeChat: WeChat says who the person is (unionid), Keycloak gets a user linked
 * to the {@code wechat} identity provider, the learner record notes the app they came through,
 * and Keycloak issues the access token by the JWT Authorization Grant on the bridge's signed
 * assertion. No database transaction is held while WeChat or Keycloak is called.
 */
@ApplicationScoped
class WeChatLoginService {

    private static final LocalizedText TOO_MANY_LOGINS =
            LocalizedText.of("登录尝试过于频繁，请稍后再试", "Too many login attempts; try again shortly");

    private static final LocalizedText BUSY_LOGINS =
            LocalizedText.of("当前登录人数过多，请稍后再试", "Too many people are logging in right now; try again shortly");

    private final WeChatClient wechat;
    private final KeycloakClient keycloak;
    private final AssertionSigner signer;
    private final LearnerService learners;
    private final RenewalService renewals;
    private final RateLimiter limiter;
    private final IdentityConfig config;
    private final BridgeGuard guard;

    WeChatLoginService(
            WeChatClient wechat,
            KeycloakClient keycloak,
            AssertionSigner signer,
            LearnerService learners,
            RenewalService renewals,
            RateLimiter limiter,
            IdentityConfig config,
            BridgeGuard guard) {
        this.wechat = wechat;
        this.keycloak = keycloak;
        this.signer = signer;
        this.learners = learners;
        this.renewals = renewals;
        this.limiter = limiter;
        this.config = config;
        this.guard = guard;
    }

    Uni<LoginResponse> miniProgram(String code, String clientAddress) {
        return limitLogin("mini", code, clientAddress)
                .chain(() -> wechat.code2Session(code))
                .chain(session -> {
                    String unionid = personKey(
                            session.unionid(), config.wechat().miniProgram().appId(), session.openid());
                    return provision(unionid, session.openid(), null).chain(learner -> token(learner, unionid, null));
                });
    }

    Uni<LoginResponse> app(String code, String clientAddress) {
        return limitLogin("app", code, clientAddress)
                .chain(() -> wechat.appAccessToken(code))
                .chain(auth -> {
                    String unionid =
                            personKey(auth.unionid(), config.wechat().app().appId(), auth.openid());
                    return provision(unionid, null, auth.openid())
                            .chain(learner -> learner.displayName == null && learner.avatarUrl == null
                                    ? adoptUserInfo(learner, auth)
                                    : Uni.createFrom().item(learner))
                            .chain(learner ->
                                    renewals.issue(learner.id).chain(issued -> token(learner, unionid, issued)));
                });
    }

    Uni<LoginResponse> refresh(String handle, String clientAddress) {
        return limiter.hit(
                        "renew:addr:" + clientAddress,
                        config.loginLimits().perAddress(),
                        config.loginLimits().window(),
                        TOO_MANY_LOGINS)
                .chain(guard::ready)
                .chain(() -> renewals.check(handle))
                .onItem()
                .ifNull()
                .failWith(WeChatLoginService::renewalInvalid)
                .chain(redeemable -> keycloak.grant(signer.sign(redeemable.unionid()))
                        .chain(token -> renewals.rotate(redeemable)
                                .onItem()
                                .ifNull()
                                .failWith(WeChatLoginService::renewalInvalid)
                                .map(next -> new LoginResponse(
                                        token.accessToken(),
                                        token.expiresIn(),
                                        "Bearer",
                                        redeemable.learnerId(),
                                        redeemable.profileComplete(),
                                        next.handle(),
                                        next.expiresIn()))));
    }

    Uni<Void> logout(String handle) {
        return renewals.revoke(handle);
    }

    /** The person's Keycloak user, created and linked if new, and their learner record. */
    private Uni<Learner> provision(String unionid, String miniOpenid, String appOpenid) {
        return keycloak.ensureUser(unionid)
                .chain(subject -> learners.recordWeChatLogin(subject, unionid, miniOpenid, appOpenid));
    }

    private Uni<Void> limitLogin(String kind, String code, String clientAddress) {
        var limits = config.loginLimits();
        // The global budget is spent last, so that a client refused by its own limits spends none of it.
        return limiter.hit("login:addr:" + clientAddress, limits.perAddress(), limits.window(), TOO_MANY_LOGINS)
                .chain(() -> limiter.hit(
                        "login:code:" + kind + ":" + code, limits.perCode(), limits.window(), TOO_MANY_LOGINS))
                .chain(() -> limiter.hit("login:global", limits.global(), limits.window(), BUSY_LOGINS))
                .chain(guard::ready);
    }

    /**
     * The person's key: the unionid, or (only when configured, see docs/api.md "Logging in") the app's openid.
     * Without either the login fails closed.
     */
    private String personKey(String unionid, String appId, String openid) {
        if (unionid != null) {
            return unionid;
        }
        if (config.wechat().allowOpenidFallback() && openid != null) {
            Log.warnf("WeChat login without unionid for app %s: keyed by openid (fallback enabled)", appId);
            return "openid:" + appId + ":" + openid;
        }
        throw new ProblemException(
                IdentityProblems.WECHAT_UNIONID_MISSING,
                LocalizedText.of(
                        "微信未返回统一身份（unionid），无法登录；请联系管理员",
                        "WeChat returned no unionid for this person, so the login cannot be tied to one learner; contact support"));
    }

    /** First app login: name and avatar from WeChat. Its failure never fails the login. */
    private Uni<Learner> adoptUserInfo(Learner learner, WeChatClient.AppAuthorization auth) {
        return wechat.userInfo(auth.accessToken(), auth.openid())
                .chain(info -> learners.adoptWeChatProfile(learner.subject, info.nickname(), info.avatarUrl()))
                .replaceWith(learner)
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf(
                            "WeChat userinfo not adopted at a first app login: %s",
                            failure.getClass().getSimpleName());
                    return learner;
                });
    }

    private Uni<LoginResponse> token(Learner learner, String unionid, RenewalService.Issued renewal) {
        return keycloak.grant(signer.sign(unionid))
                .map(token -> new LoginResponse(
                        token.accessToken(),
                        token.expiresIn(),
                        "Bearer",
                        learner.id,
                        learner.profileComplete(),
                        renewal == null ? null : renewal.handle(),
                        renewal == null ? null : renewal.expiresIn()));
    }

    private static ProblemException renewalInvalid() {
        return new ProblemException(
                IdentityProblems.RENEWAL_INVALID,
                LocalizedText.of(
                        "续期凭证无效、已使用或已过期，请重新登录", "The renewal handle is invalid, used or expired; log in again"));
    }
}
