package cn.hongtong.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The fast tier: a test class of pure logic, needing no PostgreSQL, Redis, object store or
 * Keycloak. `./mvnw test` runs these alone, with the stack down (the pom's default-test
 * execution, tag "fast"); `./mvnw verify` (bin/test) runs them and then everything else. Tagged
 * for both engines: JUnit Jupiter's tests and jqwik's properties.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("fast")
@net.jqwik.api.Tag("fast")
public @interface Fast {}
