package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The search page (issue 18 item 4), in English; {@code messages/search_zh.properties} has each in Simplified
 * Chinese. Templates reach them as {@code search:key}.
 */
@MessageBundle(value = "search", locale = "en")
public interface SearchMessages {

    @Message("Search")
    String title();

    @Message("Search")
    String nav();

    @Message("Find")
    String field();

    @Message("Words, and host:NAME container:NAME port:9080 kind:CLOSE_WAIT_LEAK process:NAME")
    String hint();

    @Message("From (UTC)")
    String from();

    @Message("To (UTC)")
    String to();

    @Message("A date or a time, in UTC, for example:")
    String timeHint();

    @Message("Search")
    String button();

    @Message("Nothing found.")
    String nothing();

    @Message("{count} found (at most 50 of each kind).")
    String found(int count);

    @Message("Hosts")
    String hosts();

    @Message("Incidents")
    String incidents();

    @Message("Jobs")
    String jobs();

    @Message("Runbooks")
    String runbooks();
}
