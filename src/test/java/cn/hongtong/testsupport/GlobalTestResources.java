package cn.hongtong.testsupport;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Test resources every {@code @QuarkusTest} shares, declared once with global scope so that the
 * whole suite runs against one application start.
 */
@WithTestResource(value = WeChatFake.class, scope = TestResourceScope.GLOBAL)
public final class GlobalTestResources {

    private GlobalTestResources() {}
}
