package cn.hongtong.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One short video of a course, at its position. */
@Entity
@Table(name = "lesson")
public class Lesson {

    @Id
    public UUID id;

    @Column(name = "course_id", nullable = false)
    public UUID courseId;

    @Column(name = "position", nullable = false)
    public int position;

    @Column(name = "title", nullable = false, length = 100)
    public String title;

    @Column(name = "media_asset_id")
    public UUID mediaAssetId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
