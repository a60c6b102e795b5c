package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.statistics.Rollups.Grain;
import cn.hongtong.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rollups' definitions (statistics/Rollups) agree with what the database holds: the day numbers
 * of the SQL function the migrations use, the grain codes the table allows, and the week and month
 * numbering the distinct-learner queries invert.
 */
@QuarkusTest
class RollupDefinitionsTest {

    @Inject
    Fixtures fixtures;

    @Test
    void dayNumbersAreTheSqlFunctions() {
        Random random = new Random(20261202);
        for (int i = 0; i < 50; i++) {
            LocalDate day = Rollups.DAY_ZERO.plusDays(random.nextInt(40_000));
            assertEquals(
                    fixtures.queryLong("SELECT stats_day_number($1)", day), Rollups.dayNumber(day), day.toString());
        }
        assertEquals(0, Rollups.dayNumber(Rollups.DAY_ZERO));
    }

    @Test
    void theGrainsAreTheOnesTheTableAllows() {
        String check = fixtures.queryString(
                "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
                        + "WHERE c.conrelid = 'stats_daily'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%grain%'");
        assertEquals("CHECK (((grain >= 0) AND (grain <= " + (2 * Grain.values().length - 1) + ")))", check);
        for (Grain g : Grain.values()) {
            assertEquals(g.ordinal(), g.code, g.name());
            assertEquals(g.ordinal() + Grain.values().length, g.monthly, g.name() + " per month");
        }
    }

    @Test
    void weeksAreNumberedFromAMonday() {
        assertEquals(DayOfWeek.MONDAY, Rollups.FIRST_MONDAY.getDayOfWeek());
        assertTrue(Rollups.dayNumber(Rollups.FIRST_MONDAY) < 7);
    }
}
