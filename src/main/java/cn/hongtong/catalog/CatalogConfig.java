package cn.hongtong.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The catalog. */
@ConfigMapping(prefix = "hongtong.catalog")
public interface CatalogConfig {

    /**
     * Dev builds only: fill an empty catalog with demo courses at start-up. Off for a database
     * that another tool fills (bench/seed).
     */
    @WithDefault("true")
    boolean demoSeed();
}
