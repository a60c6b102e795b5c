package cn.hongtong.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
class LessonRepository implements PanacheRepositoryBase<Lesson, UUID> {

    Uni<List<Lesson>> ofCourse(UUID courseId) {
        return list("courseId", Sort.by("position"), courseId);
    }

    Uni<List<Lesson>> ofCourses(Collection<UUID> courseIds) {
        return courseIds.isEmpty()
                ? Uni.createFrom().item(List.of())
                : list("courseId in ?1", Sort.by("position"), courseIds);
    }
}
