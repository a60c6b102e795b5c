package cn.hongtong.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A typed configuration mapping with some of its methods answering other values: for building a
 * bean by hand against another endpoint, timeout or secret while everything else stays as
 * configured. Values are by method name; a value may itself be an overridden sub-mapping.
 */
public final class ConfigOverride {

    private ConfigOverride() {}

    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> type, T real, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
