package cn.hongtong.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "course")
public class Course {

    public static final String DRAFT = "draft";
    public static final String PUBLISHED = "published";
    public static final String ARCHIVED = "archived";

    @Id
    public UUID id;

    @Column(name = "title", nullable = false, length = 100)
    public String title;

    @Column(name = "summary", nullable = false, length = 2000)
    public String summary;

    @Column(name = "category_code", nullable = false, length = 40)
    public String categoryCode;

    @Column(name = "credit_class", nullable = false, length = 4)
    public String creditClass;

    @Column(name = "credit_hours", nullable = false, precision = 4, scale = 1)
    public BigDecimal creditHours;

    @Column(name = "cover_asset_id")
    public UUID coverAssetId;

    @Column(name = "status", nullable = false, length = 10)
    public String status;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
