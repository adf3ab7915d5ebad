package dev.linger.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.Escaper;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/** How pages print times: UTC, to the second, the same everywhere on a night with many time zones. */
@TemplateExtension
public class TemplateFormats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** The five characters Qute's own HTML escaping replaces in a page's values, with the same entities. */
    private static final Escaper HTML = Escaper.builder().add('&', "&amp;").add('<', "&lt;").add('>', "&gt;")
            .add('"', "&quot;").add('\'', "&#39;").build();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * For a text parameter inside a message that holds markup (written {@code {msg:key.raw}}): the
     * raw message is not escaped by the page, so its parameters escape themselves.
     */
    static String html(Object value) {
        return value == null ? "" : HTML.escape(value.toString());
    }

    /** A value as one query parameter of a link ({@code ?next={next.urlEncode}}). */
    static String urlEncode(String value) {
        return value == null ? "" : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same escaping for Java code that builds a fragment a page shows raw. */
    public static String escapeHtml(String value) {
        return html(value);
    }

    /**
     * A text whose {@code `code`} spans show as code: escaped first, then each pair of backticks becomes a
     * {@code <code>} element, so nothing from a monitored host (a process named {@code `<script>`}) becomes
     * markup. An unpaired backtick stays as it is.
     */
    static RawString codeSpans(String text) {
        String escaped = html(text);
        StringBuilder b = new StringBuilder(escaped.length() + 32);
        int from = 0;
        while (true) {
            int open = escaped.indexOf('`', from);
            int close = open < 0 ? -1 : escaped.indexOf('`', open + 1);
            if (close < 0) {
                b.append(escaped, from, escaped.length());
                return new RawString(b.toString());
            }
            b.append(escaped, from, open).append("<code>").append(escaped, open + 1, close).append("</code>");
            from = close + 1;
        }
    }

    static String day(Instant at) {
        return at == null ? "" : DAY.format(at);
    }
}
