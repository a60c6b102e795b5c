package cn.hongtong.statistics;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.TestClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/** Tests on {@link HandMadeFixture}'s population: it is built (once per application) before each test. */
abstract class HandMadePopulationTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @BeforeEach
    void handMadePopulation() throws InterruptedException {
        HandMadeFixture.build(fixtures, clock);
    }
}
