package cn.hongtong.common;

import java.util.Locale;

/** The languages of user-facing text; Simplified Chinese unless the caller prefers English. */
public enum Language {
    ZH_CN("zh-CN"),
    EN("en");

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /**
     * Picks the language from an {@code Accept-Language} header: the caller's most preferred
     * language among those supported; Chinese when the header is absent, malformed or names
     * neither.
     */
    public static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 512) {
            return ZH_CN;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                String wanted = range.getRange().toLowerCase(Locale.ROOT);
                if (wanted.equals("en") || wanted.startsWith("en-")) {
                    return EN;
                }
                if (wanted.equals("zh") || wanted.startsWith("zh-") || wanted.equals("*")) {
                    return ZH_CN;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return ZH_CN;
        }
        return ZH_CN;
    }
}
