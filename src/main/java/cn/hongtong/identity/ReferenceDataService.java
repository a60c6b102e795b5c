package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.common.Slice;
import cn.hongtong.identity.IdentityDtos.InstitutionPage;
import cn.hongtong.identity.IdentityDtos.InstitutionView;
import cn.hongtong.identity.IdentityDtos.RegionDetail;
import cn.hongtong.identity.IdentityDtos.RegionView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Regions and institutions: reference data, read only. */
@ApplicationScoped
class ReferenceDataService {

    private final RegionRepository regions;
    private final InstitutionRepository institutions;

    ReferenceDataService(RegionRepository regions, InstitutionRepository institutions) {
        this.regions = regions;
        this.institutions = institutions;
    }

    /** The children of a region, or the provinces; an unknown parent is a 404. */
    @WithSession
    Uni<List<RegionView>> children(String parent) {
        Uni<Void> exists = parent == null
                ? Uni.createFrom().voidItem()
                : regions.findById(parent)
                        .onItem()
                        .ifNull()
                        .failWith(() -> notFound(parent))
                        .replaceWithVoid();
        return exists.chain(() -> regions.children(parent))
                .map(list -> list.stream()
                        .map(r -> new RegionView(r.code(), r.name(), r.level(), r.parentCode(), r.hasChildren()))
                        .toList());
    }

    @WithSession
    Uni<RegionDetail> region(String code) {
        return regions.pathTo(code).map(path -> {
            if (path.isEmpty()) {
                throw notFound(code);
            }
            Region self = path.get(path.size() - 1);
            return new RegionDetail(
                    self.code,
                    self.name,
                    self.level,
                    self.parentCode,
                    path.stream()
                            .map(r -> new RegionView(r.code, r.name, r.level, r.parentCode, null))
                            .toList());
        });
    }

    /** Institutions in a region and below it, in pages of {@code limit} after the cursor. */
    @WithSession
    Uni<InstitutionPage> institutions(String region, String nameContains, String after, int limit) {
        long afterId = decodeCursor(after);
        return regions.findById(region)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(region))
                .chain(ignored -> institutions.page(region, nameContains, afterId, limit + 1))
                .map(rows -> {
                    Slice<Institution> slice = Slice.of(rows, limit);
                    return new InstitutionPage(
                            slice.items().stream().map(InstitutionView::of).toList(),
                            slice.nextCursor(last -> Long.toString(last.id)));
                });
    }

    private static long decodeCursor(String after) {
        if (after == null) {
            return 0;
        }
        try {
            long id = Long.parseLong(after);
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ProblemException.invalidField("after", LocalizedText.of("分页游标无效", "invalid cursor"));
    }

    private static ProblemException notFound(String code) {
        return new ProblemException(
                IdentityProblems.REGION_NOT_FOUND,
                LocalizedText.of("行政区划 " + code + " 不存在", "No region with code " + code));
    }
}
