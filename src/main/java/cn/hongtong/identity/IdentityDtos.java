package cn.hongtong.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Request and response bodies of the identity endpoints. */
final class IdentityDtos {

    static final String PROFESSIONS =
            "village-doctor|general-practitioner|nurse|public-health-worker|pharmacist|social-worker|other";
    static final String REGION_CODE = "[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}";

    private IdentityDtos() {}

    /** A WeChat login code: from {@code wx.login} (mini-program) or the app's OAuth authorization. */
    record WeChatLoginRequest(
            @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_\\-]+", message = "must be a WeChat login code")
            String code) {}

    record RenewalRequest(
            @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_\\-]+")
            String renewalHandle) {}

    /**
     * A logged-in learner's Keycloak access token. {@code renewalHandle} (app logins and renewals
     * only) obtains the next token from {@code POST /api/v1/auth/refresh}, once.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LoginResponse(
            String accessToken,
            long expiresIn,
            String tokenType,
            UUID learnerId,
            boolean profileComplete,
            String renewalHandle,
            Long renewalExpiresIn) {}

    record InstitutionView(long id, String name, String kind, String regionCode) {
        static InstitutionView of(Institution i) {
            return new InstitutionView(i.id, i.name, i.kind, i.regionCode);
        }
    }

    record RegionView(String code, String name, int level, String parentCode, Boolean hasChildren) {}

    record RegionDetail(String code, String name, int level, String parentCode, List<RegionView> path) {}

    record InstitutionPage(List<InstitutionView> items, String nextCursor) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record LearnerProfile(
            UUID learnerId,
            String displayName,
            String avatarUrl,
            String profession,
            InstitutionView institution,
            RegionView region,
            boolean profileComplete) {}

    /**
     * Who the caller is. {@code learner} is the profile for callers with role learner;
     * {@code regionScope} an analyst's region-code prefix (null: nationwide or not an analyst).
     */
    record MeResponse(String subject, String username, Set<String> roles, String regionScope, LearnerProfile learner) {}

    /** The editable profile of a learner; every field is set as given (null clears it). */
    record ProfileUpdate(
            @Size(min = 1, max = 30)
            @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
            String displayName,

            @Pattern(regexp = PROFESSIONS, message = "must be one of " + PROFESSIONS)
            String profession,

            @Positive Long institutionId,

            @Pattern(regexp = REGION_CODE, message = "must be a 2, 4, 6, 9 or 12 digit region code")
            String regionCode) {}
}
