package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.IdentityDtos.InstitutionView;
import cn.hongtong.identity.IdentityDtos.LearnerProfile;
import cn.hongtong.identity.IdentityDtos.MeResponse;
import cn.hongtong.identity.IdentityDtos.ProfileUpdate;
import cn.hongtong.identity.IdentityDtos.RegionView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** Learners' records and profiles. */
@ApplicationScoped
class LearnerService {

    private final LearnerRepository learners;
    private final RegionRepository regions;
    private final InstitutionRepository institutions;
    private final Clock clock;

    LearnerService(
            LearnerRepository learners, RegionRepository regions, InstitutionRepository institutions, Clock clock) {
        this.learners = learners;
        this.regions = regions;
        this.institutions = institutions;
        this.clock = clock;
    }

    /** The caller's view of themselves; a learner's record is created on first contact. */
    @WithTransaction
    Uni<MeResponse> me(CurrentUser user) {
        String subject = user.subject();
        Uni<LearnerProfile> profile = user.hasRole(Roles.LEARNER)
                ? ensureLearner(subject).chain(this::profile)
                : Uni.createFrom().nullItem();
        return profile.map(p -> new MeResponse(
                subject,
                user.username().orElse(null),
                user.roles(),
                user.regionScope().orElse(null),
                p));
    }

    @WithTransaction
    Uni<LearnerProfile> updateProfile(CurrentUser user, ProfileUpdate update) {
        if (!user.hasRole(Roles.LEARNER)) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            IdentityProblems.NOT_A_LEARNER,
                            LocalizedText.of("只有学员账号可以修改学习档案", "Only learner accounts have a profile to edit")));
        }
        Uni<Region> region = update.regionCode() == null
                ? Uni.createFrom().nullItem()
                : regions.findById(update.regionCode())
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.invalidField(
                                "regionCode", LocalizedText.of("行政区划不存在", "no such region")));
        Uni<Institution> institution = update.institutionId() == null
                ? Uni.createFrom().nullItem()
                : institutions
                        .findById(update.institutionId())
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.invalidField(
                                "institutionId", LocalizedText.of("机构不存在", "no such institution")));
        return region.chain(r -> institution.invoke(i -> requireSameCounty(r, i)))
                .chain(ignored -> ensureLearner(user.subject()))
                .invoke(learner -> {
                    learner.displayName = update.displayName() == null
                            ? null
                            : update.displayName().strip();
                    learner.profession = update.profession();
                    learner.institutionId = update.institutionId();
                    learner.regionCode = update.regionCode();
                    learner.updatedAt = clock.instant();
                })
                .chain(this::profile);
    }

    /** A worker's institution lies in the county of the region they give (first 6 digits). */
    private static void requireSameCounty(Region region, Institution institution) {
        if (region == null || institution == null) {
            return;
        }
        String a = region.code;
        String b = institution.regionCode;
        int shared = Math.min(6, Math.min(a.length(), b.length()));
        if (!a.substring(0, shared).equals(b.substring(0, shared))) {
            throw ProblemException.invalidField(
                    "institutionId",
                    LocalizedText.of("机构不在所填地区所属的区县内", "the institution is not in the county of the given region"));
        }
    }

    /** The learner profile of a record, with its institution and region spelled out. */
    @WithSession
    Uni<LearnerProfile> profile(Learner learner) {
        Uni<Institution> institution = learner.institutionId == null
                ? Uni.createFrom().nullItem()
                : institutions.findById(learner.institutionId);
        Uni<Region> region =
                learner.regionCode == null ? Uni.createFrom().nullItem() : regions.findById(learner.regionCode);
        return institution.chain(i -> region.map(r -> new LearnerProfile(
                learner.id,
                learner.displayName,
                learner.avatarUrl,
                learner.profession,
                i == null ? null : InstitutionView.of(i),
                r == null ? null : new RegionView(r.code, r.name, r.level, r.parentCode, null),
                learner.profileComplete())));
    }

    Uni<Learner> ensureLearner(String subject) {
        return learners.findBySubject(subject)
                .chain(found -> found != null
                        ? Uni.createFrom().item(found)
                        // A deleted account's tokens stay valid until they expire: they must not recreate it.
                        : learners.erased(subject).chain(erased -> {
                            if (erased) {
                                throw accountErased();
                            }
                            return learners.insertIfAbsent(subject).chain(ignored -> learners.findBySubject(subject));
                        }));
    }

    /** The caller's account was deleted: 403 account-erased. */
    static ProblemException accountErased() {
        return new ProblemException(
                IdentityProblems.ACCOUNT_ERASED,
                LocalizedText.of("该账号已注销，请重新登录以创建新账号", "This account was deleted; log in again to start a new one"));
    }

    /** Records a WeChat login; returns the learner and whether this was their first. */
    @WithTransaction
    Uni<Learner> recordWeChatLogin(String subject, String unionid, String miniOpenid, String appOpenid) {
        return learners.recordWeChatLogin(subject, unionid, miniOpenid, appOpenid)
                .chain(ignored -> learners.findBySubject(subject));
    }

    /** Fills name and avatar from WeChat where the learner has not set them. */
    @WithTransaction
    Uni<Void> adoptWeChatProfile(String subject, String nickname, String avatarUrl) {
        return learners.findBySubject(subject)
                .invoke(learner -> {
                    if (learner.displayName == null && nickname != null && !nickname.isBlank()) {
                        String name = nickname.strip();
                        learner.displayName = name.length() > 30 ? name.substring(0, 30) : name;
                    }
                    if (learner.avatarUrl == null
                            && avatarUrl != null
                            && avatarUrl.startsWith("https://")
                            && avatarUrl.length() <= 512) {
                        learner.avatarUrl = avatarUrl;
                    }
                    learner.updatedAt = clock.instant();
                })
                .replaceWithVoid();
    }
}
