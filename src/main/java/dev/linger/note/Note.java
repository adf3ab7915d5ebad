package dev.linger.note;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A note a person wrote on an incident or a job, in Markdown. {@link #rendered()} is safe to put in a page as it is: raw
 * HTML in the note is escaped, only http(s) and mailto links survive, links open nothing on their own (no referrer,
 * no follow) and images are links, not loads.
 */
public record Note(long id, Long incidentId, Long jobId, String author, String body, boolean notified,
        Instant createdAt) {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
            .urlSanitizer(new org.commonmark.renderer.html.UrlSanitizer() {
                public String sanitizeLinkUrl(String url) {
                    return safeUrl(url);
                }

                public String sanitizeImageUrl(String url) {
                    return safeUrl(url);
                }
            })
            .attributeProviderFactory(context -> (node, tag, attributes) -> {
                if ("a".equals(tag)) {
                    attributes.put("rel", "nofollow noopener noreferrer");
                }
            })
            .nodeRendererFactory(context -> new org.commonmark.renderer.NodeRenderer() {
                @Override
                // an image in a note is shown as a link to it: a page must not load what a note points at
                public java.util.Set<Class<? extends Node>> getNodeTypes() {
                    return java.util.Set.of(org.commonmark.node.Image.class);
                }

                @Override
                public void render(Node node) {
                    org.commonmark.node.Image image = (org.commonmark.node.Image) node;
                    var html = context.getWriter();
                    String url = safeUrl(image.getDestination());
                    html.tag("a", Map.of("href", url, "rel", "nofollow noopener noreferrer"));
                    html.text(image.getTitle() != null ? image.getTitle() : url);
                    html.tag("/a");
                }
            })
            .build();

    /** The note as HTML, safe to put in a page unescaped ({@code html} in the API; pages: {@code rendered}). */
    @JsonProperty("html")
    public String rendered() {
        return render(body);
    }

    static String render(String markdown) {
        return RENDERER.render(PARSER.parse(markdown == null ? "" : markdown));
    }

    /** http, https and mailto links as they are; anything else (javascript:, data:, file:) becomes "#". */
    static String safeUrl(String url) {
        String u = url == null ? "" : url.strip();
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        for (String scheme : List.of("http://", "https://", "mailto:")) {
            if (lower.startsWith(scheme)) {
                return u;
            }
        }
        return u.matches("[^:/?#]*:.*") ? "#" : u; // a scheme we do not know; a relative link stays
    }
}
