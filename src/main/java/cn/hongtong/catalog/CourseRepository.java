package cn.hongtong.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
class CourseRepository implements PanacheRepositoryBase<Course, UUID> {

    /** Filters of the learners' list; null means any. */
    record Filter(String category, String creditClass, String text) {}

    /** Published courses, newest first, strictly after the keyset position when one is given. */
    Uni<List<Course>> published(Filter filter, Instant afterAt, UUID afterId, int limit) {
        StringBuilder query = new StringBuilder("status = 'published'");
        Parameters params = new Parameters();
        if (filter.category() != null) {
            query.append(" and categoryCode = :category");
            params = params.and("category", filter.category());
        }
        if (filter.creditClass() != null) {
            query.append(" and creditClass = :creditClass");
            params = params.and("creditClass", filter.creditClass());
        }
        if (filter.text() != null) {
            query.append(" and (title like :text escape '\\' or summary like :text escape '\\')");
            params = params.and("text", "%" + escapeLike(filter.text()) + "%");
        }
        if (afterAt != null) {
            query.append(" and (publishedAt < :at or (publishedAt = :at and id < :id))");
            params = params.and("at", afterAt).and("id", afterId);
        }
        query.append(" order by publishedAt desc, id desc");
        return find(query.toString(), params).page(Page.ofSize(limit)).list();
    }

    /** All courses of a status (or all), newest first, keyset-paginated on (createdAt, id). */
    Uni<List<Course>> forAdmin(String status, Instant afterAt, UUID afterId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null) {
            query.append(" and status = :status");
            params = params.and("status", status);
        }
        if (afterAt != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params = params.and("at", afterAt).and("id", afterId);
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).page(Page.ofSize(limit)).list();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
