package cn.hongtong.common;

import java.util.Objects;

/** User-facing text in the two languages the API speaks. */
public record LocalizedText(String zh, String en) {

    public LocalizedText {
        Objects.requireNonNull(zh, "zh");
        Objects.requireNonNull(en, "en");
    }

    public static LocalizedText of(String zh, String en) {
        return new LocalizedText(zh, en);
    }

    public String in(Language language) {
        return language == Language.EN ? en : zh;
    }
}
