package cn.hongtong.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A healthcare worker who learns, keyed by their Keycloak account. */
@Entity
@Table(name = "learner")
public class Learner {

    @Id
    public UUID id;

    @Column(name = "subject", nullable = false, unique = true, length = 64)
    public String subject;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
