package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

/** Problem kinds of logging in and of profiles. */
final class IdentityProblems {

    static final ProblemType WECHAT_CODE_INVALID = new ProblemType(
            "wechat-code-invalid",
            400,
            LocalizedText.of("微信登录凭证无效或已使用", "The WeChat login code is invalid or already used"));
    static final ProblemType WECHAT_RATE_LIMITED =
            new ProblemType("wechat-rate-limited", 429, LocalizedText.of("微信登录过于频繁", "WeChat is rate limiting logins"));
    static final ProblemType WECHAT_HIGH_RISK_USER = new ProblemType(
            "wechat-high-risk-user",
            403,
            LocalizedText.of("微信判定该账号存在风险，暂不能登录", "WeChat flags this account as high risk"));
    static final ProblemType WECHAT_UNAVAILABLE = new ProblemType(
            "wechat-unavailable", 503, LocalizedText.of("微信服务暂时不可用", "WeChat is temporarily unavailable"));
    static final ProblemType WECHAT_UNIONID_MISSING = new ProblemType(
            "wechat-unionid-missing",
            403,
            LocalizedText.of("无法确认微信统一身份（unionid）", "WeChat did not confirm the person's unionid"));
    static final ProblemType IDENTITY_PROVIDER_UNAVAILABLE = new ProblemType(
            "identity-provider-unavailable",
            503,
            LocalizedText.of("认证服务暂时不可用", "The identity provider is temporarily unavailable"));
    static final ProblemType RENEWAL_INVALID = new ProblemType(
            "renewal-invalid", 401, LocalizedText.of("续期凭证无效，请重新登录", "The renewal handle is not valid; log in again"));
    static final ProblemType REGION_NOT_FOUND =
            new ProblemType("region-not-found", 404, LocalizedText.of("行政区划不存在", "No such region"));
    static final ProblemType NOT_A_LEARNER = new ProblemType(
            "not-a-learner", 403, LocalizedText.of("只有学员账号有个人学习档案", "Only learner accounts have a learner profile"));

    static final ProblemType ACCOUNT_ERASED =
            new ProblemType("account-erased", 403, LocalizedText.of("账号已注销", "Account deleted"));

    private IdentityProblems() {}
}
