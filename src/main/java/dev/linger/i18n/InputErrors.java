package dev.linger.i18n;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.linger.InvalidInput;

/**
 * The services refuse input in English ({@link InvalidInput}), which the API answers as it is. Pages show the
 * refusals in the request's language: a Chinese page gets the Chinese of each refusal it knows, and the English
 * of any other; an English page gets the service's words unchanged.
 */
public final class InputErrors {

    /** The service's exact English → its text in {@link ActionMessages}. */
    private static final Map<String, Function<ActionMessages, String>> EXACT = Map.ofEntries(
            Map.entry("Enter a name.", ActionMessages::errHostNameMissing),
            Map.entry("Use up to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit.",
                    ActionMessages::errHostNameForm),
            Map.entry("Transport is SSH or LOCAL.", ActionMessages::errTransport),
            Map.entry("The SSH port is a number from 1 to 65535.", ActionMessages::errSshPort),
            Map.entry("Use a plain Unix user name: lower-case letters, digits, '_', '-' or '.', up to 32.",
                    ActionMessages::errSshUser),
            Map.entry("Collect every 5 to 86400 seconds.", ActionMessages::errInterval),
            Map.entry("List up to 50 ports, each from 1 to 65535.", ActionMessages::errServicePorts),
            Map.entry("Open a CLOSE-WAIT incident at 1 to 1,000,000 sockets.", ActionMessages::errCloseWait),
            Map.entry("Wait 1 to 86400 seconds before calling FIN-WAIT-1 stuck.", ActionMessages::errFinWait1),
            Map.entry("Write the maintenance window as HH:MM-HH:MM in UTC, e.g. 22:00-06:00 (it may span midnight),"
                    + " or leave it empty.", ActionMessages::errWindow),
            Map.entry("Enter a DNS name or an IP address.", ActionMessages::errAddressMissing),
            Map.entry("An address cannot start with '-'.", ActionMessages::errAddressDash),
            Map.entry("This is not a valid IPv6 address.", ActionMessages::errAddressIpv6),
            Map.entry("Enter a DNS name (like db-1.example.net) or an IP address (like 192.0.2.10 or 2001:db8::10).",
                    ActionMessages::errAddressForm),
            Map.entry("Enter a whole number.", ActionMessages::errWholeNumber),
            Map.entry("This machine is already registered as a LOCAL host.", ActionMessages::errLocalTaken),
            Map.entry("The transport of a host cannot change; add a new host instead.",
                    ActionMessages::errTransportFixed),
            Map.entry("A LOCAL host has no SSH host key.", ActionMessages::errLocalNoKey),
            Map.entry("Give the fingerprint in OpenSSH's form, SHA256:… (43 characters after the colon).",
                    ActionMessages::errFingerprintForm),
            Map.entry("Linger has not seen this host's key yet; wait for the next collection attempt or press"
                    + " Collect now.", ActionMessages::errKeyNotSeen),
            Map.entry("Enter a user name.", ActionMessages::errUserNameMissing),
            Map.entry("Use 2 to 32 characters: a letter first, then letters, digits, dot, dash or underscore.",
                    ActionMessages::errUserNameForm),
            Map.entry("Choose at least one role.", ActionMessages::errNoRole),
            Map.entry("You cannot take the admin role from yourself.", ActionMessages::errOwnAdmin),
            Map.entry("You cannot disable your own account.", ActionMessages::errDisableSelf),
            Map.entry("Your account no longer exists.", ActionMessages::errAccountGone),
            Map.entry("The current password is not right.", ActionMessages::errCurrentPassword),
            Map.entry("Enter a password.", ActionMessages::errPasswordMissing),
            Map.entry("Control characters are not allowed in passwords.", ActionMessages::errPasswordControl),
            Map.entry("Someone else changed this incident just now; reload it.", ActionMessages::errIncidentRace),
            Map.entry("This incident is already resolved.", ActionMessages::errIncidentResolved),
            // issue 12 item 6: bidirectional controls and lone surrogates in free text
            Map.entry(dev.linger.TextRules.HIDDEN_OR_BROKEN, ActionMessages::errHiddenOrBrokenText),
            // issue 12 item 5
            Map.entry("Choose a new password, not the current one.", ActionMessages::errPasswordUnchanged),
            Map.entry("Change your own password on the Account page.", ActionMessages::errResetSelf));

    private record Shape(Pattern english, BiFunction<ActionMessages, Matcher, String> chinese) {
    }

    /** Refusals with a value in them. */
    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("A host named \".*\" already exists\\."), (t, m) -> t.errHostNameTaken()),
            new Shape(Pattern.compile("A user named \".*\" already exists\\."), (t, m) -> t.errUserNameTaken()),
            new Shape(Pattern.compile("Use at least (\\d{1,4}) characters\\."),
                    (t, m) -> t.errPasswordShort(Integer.parseInt(m.group(1)))),
            new Shape(Pattern.compile("Use at most (\\d{1,4}) bytes \\(bcrypt ignores the rest\\)\\."),
                    (t, m) -> t.errPasswordLong(Integer.parseInt(m.group(1)))),
            new Shape(Pattern.compile("The host presented (SHA256:\\S+), not (SHA256:\\S+)\\. Check the key on the host"
                    + " itself \\(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key\\.pub\\)\\."),
                    (t, m) -> t.errKeyMismatch(m.group(1), m.group(2))),
            new Shape(Pattern.compile("Only an open incident can be acknowledged; this one is \\w+\\."),
                    (t, m) -> t.errIncidentNotOpen()));

    private InputErrors() {
    }

    /** Each field's refusal in the request's language (English: the very same map). */
    public static Map<String, String> shown(Map<String, String> fields, RequestLanguage lang) {
        if (!"zh".equals(lang.locale().getLanguage())) {
            return fields;
        }
        ActionMessages texts = lang.texts(ActionMessages.class);
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((field, message) -> out.put(field, translate(message, texts)));
        return out;
    }

    /** The whole refusal as one sentence, for a flash message (English: the exception's own message). */
    public static String shown(InvalidInput e, RequestLanguage lang) {
        return "zh".equals(lang.locale().getLanguage()) ? String.join("；", shown(e.fields(), lang).values()) : e.getMessage();
    }

    /** One refusal in the request's language. */
    public static String shown(String message, RequestLanguage lang) {
        return "zh".equals(lang.locale().getLanguage()) && message != null ? translate(message, lang.texts(ActionMessages.class)) : message;
    }

    static String translate(String english, ActionMessages texts) {
        Function<ActionMessages, String> exact = EXACT.get(english);
        if (exact != null) {
            return exact.apply(texts);
        }
        for (Shape shape : SHAPES) {
            Matcher m = shape.english().matcher(english);
            if (m.matches()) {
                return shape.chinese().apply(texts, m);
            }
        }
        return english;
    }
}
