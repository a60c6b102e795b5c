package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
class RegionRepository implements PanacheRepositoryBase<Region, String> {

    /** A region with whether it has children, as listed to a client. */
    record Listed(String code, String name, short level, String parentCode, boolean hasChildren) {}

    /** The children of {@code parentCode}, or the provinces when it is null; ordered by code. */
    Uni<List<Listed>> children(String parentCode) {
        String where = parentCode == null ? "r.parent_code IS NULL" : "r.parent_code = :parent";
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(
                            "SELECT r.code, r.name, r.level, r.parent_code, "
                                    + "EXISTS (SELECT 1 FROM region c WHERE c.parent_code = r.code) AS has_children "
                                    + "FROM region r WHERE " + where + " ORDER BY r.code",
                            Object[].class);
                    if (parentCode != null) {
                        query.setParameter("parent", parentCode);
                    }
                    return query.getResultList();
                })
                .map(rows -> rows.stream()
                        .map(row -> new Listed(
                                (String) row[0],
                                (String) row[1],
                                ((Number) row[2]).shortValue(),
                                (String) row[3],
                                (Boolean) row[4]))
                        .toList());
    }

    /** The region and its ancestors, province first. */
    Uni<List<Region>> pathTo(String code) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "WITH RECURSIVE up AS (SELECT * FROM region WHERE code = :code "
                                        + "UNION ALL SELECT r.* FROM region r JOIN up ON r.code = up.parent_code) "
                                        + "SELECT * FROM up ORDER BY level",
                                Region.class)
                        .setParameter("code", code)
                        .getResultList());
    }
}
