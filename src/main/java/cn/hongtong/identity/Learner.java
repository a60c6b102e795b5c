package cn.hongtong.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A healthcare worker who learns, keyed by their Keycloak account and their WeChat unionid. */
@Entity
@Table(name = "learner")
public class Learner {

    @Id
    public UUID id;

    /** Keycloak user id ({@code sub} of their tokens). */
    @Column(name = "subject", nullable = false, unique = true, length = 64)
    public String subject;

    @Column(name = "unionid", unique = true, length = 64)
    public String unionid;

    @Column(name = "mini_openid", length = 64)
    public String miniOpenid;

    @Column(name = "app_openid", length = 64)
    public String appOpenid;

    @Column(name = "display_name", length = 30)
    public String displayName;

    @Column(name = "avatar_url", length = 512)
    public String avatarUrl;

    @Column(name = "profession", length = 32)
    public String profession;

    @Column(name = "institution_id")
    public Long institutionId;

    @Column(name = "region_code", length = 12)
    public String regionCode;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** All that the statistics group learners by is known. */
    public boolean profileComplete() {
        return displayName != null && profession != null && institutionId != null && regionCode != null;
    }
}
