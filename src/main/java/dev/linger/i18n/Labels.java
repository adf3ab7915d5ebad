package dev.linger.i18n;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The words for values people see on the shared pages (statuses, severities, risks, roles, timers): one message of the {@code label} bundle per value, {@code label.<kind><Value>} (host status
 * {@code UNREACHABLE} is {@code label.hostStatusUnreachable}). Templates write {@code {inject:labels.hostStatus(h.status)}};
 * Java builds the {@link Text} with {@link #text}. A value without a message (a state the code did not know) is shown
 * as it is, through {@code label.verbatim}.
 */
@Named("labels")
@ApplicationScoped
public class Labels {

    /** The text for {@code value} of {@code kind}: {@code text("hostStatus", "UP")} is {@code label.hostStatusUp}. */
    public static Text text(String kind, Object value) {
        String v = value == null ? "" : value instanceof Enum<?> e ? e.name() : value.toString();
        String key = "label." + kind + camel(v);
        return Catalogue.has(key) ? Text.of(key) : Text.of("label.verbatim", v);
    }

    /** {@code PENDING_APPROVAL} → {@code PendingApproval}, {@code keepalive} → {@code Keepalive}. */
    static String camel(String value) {
        StringBuilder b = new StringBuilder();
        for (String part : value.split("[_\\-\\s]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return b.toString();
    }

    private static String say(String kind, Object value) {
        return Catalogue.render(text(kind, value), RequestLanguage.currentLocale());
    }

    public String hostStatus(Object status) {
        return say("hostStatus", status);
    }

    public String keyStatus(Object status) {
        return say("keyStatus", status);
    }

    public String severity(Object severity) {
        return say("severity", severity);
    }

    public String risk(Object risk) {
        return say("risk", risk);
    }

    public String role(Object role) {
        return say("role", role);
    }

    public String timer(Object timer) {
        return say("timer", timer);
    }

    /** "Signed in as alice with the roles admin, viewer.", each role in words. */
    public String signedInAs(String name, List<?> roles) {
        List<Text> words = roles.stream().map(r -> text("role", r)).toList();
        return Catalogue.render(Text.of("label.accountSignedInAs", name, words, (long) words.size()), RequestLanguage.currentLocale());
    }
}
