package cn.hongtong.statistics;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The statistics without their perturbation (small groups still hidden): for the tests that check
 * the rollups' arithmetic against numbers written down by hand or computed from the ledger.
 */
public class ExactStatistics implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hongtong.statistics.perturbation.enabled", "false");
    }
}
