package cn.hongtong.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paginated query that fetched {@code limit + 1} rows: the extra row only
 * tells that there is more; the cursor of the next page is made from the page's last row.
 */
public record Slice<T>(List<T> items, boolean more) {

    public static <T> Slice<T> of(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Slice<>(more ? rows.subList(0, limit) : rows, more);
    }

    /** The next page's cursor, or null on the last page. */
    public String nextCursor(Function<T, String> cursorOf) {
        return more ? cursorOf.apply(items.get(items.size() - 1)) : null;
    }
}
