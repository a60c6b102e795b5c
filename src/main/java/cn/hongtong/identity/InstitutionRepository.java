package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
class InstitutionRepository implements PanacheRepositoryBase<Institution, Long> {

    /**
     * Institutions in the region or below it, after {@code afterId} in id order; {@code nameLike}
     * narrows by a substring of the name.
     */
    Uni<List<Institution>> page(String regionPrefix, String nameContains, long afterId, int limit) {
        String query = "regionCode like :prefix and id > :after";
        Parameters params = Parameters.with("prefix", regionPrefix + "%").and("after", afterId);
        if (nameContains != null) {
            query += " and name like :name";
            params = params.and("name", "%" + escapeLike(nameContains) + "%");
        }
        return find(query, Sort.by("id"), params).page(Page.ofSize(limit)).list();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
