package dev.linger.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How pages print times: UTC, to the second, the same everywhere on a night with many time zones. */
@TemplateExtension
public class TemplateFormats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
    }

    static String day(Instant at) {
        return at == null ? "" : DAY.format(at);
    }
}
