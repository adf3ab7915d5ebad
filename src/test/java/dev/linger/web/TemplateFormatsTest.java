package dev.linger.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@code .html} and {@code .codeSpans} print into a page: the text, never markup of its own. */
class TemplateFormatsTest {

    @Test
    void htmlEscapesTheFiveCharactersThatMakeMarkup() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
                TemplateFormats.html("<a href=\"x\" title='y'>Tom & Jerry</a>"));
    }

    @Test
    void htmlLeavesOtherTextAsItIs() {
        assertEquals("CLOSE_WAIT on 198.18.1.2:9080 · 连接 /srv/app", TemplateFormats.html("CLOSE_WAIT on 198.18.1.2:9080 · 连接 /srv/app"));
        assertEquals("&amp;amp;", TemplateFormats.html("&amp;"), "an entity in the text is text: escaped once more");
        assertEquals("42", TemplateFormats.html(42L));
        assertEquals("", TemplateFormats.html(null));
    }

    @Test
    void codeSpansEscapeFirstThenMarkTheCode() {
        assertEquals("process <code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code> holds it &amp; won&#39;t let go",
                TemplateFormats.codeSpans("process `<script>alert(\"x\")</script>` holds it & won't let go").getValue());
        assertEquals("<code>a</code> and <code>b</code> but ` alone", TemplateFormats.codeSpans("`a` and `b` but ` alone").getValue());
        assertEquals("", TemplateFormats.codeSpans(null).getValue());
    }
}
