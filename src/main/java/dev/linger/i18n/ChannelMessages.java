package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Notification channels (issue 18 item 2), in English; {@code messages/channel_zh.properties} has each in Simplified
 * Chinese. Templates reach them as {@code channel:key}; stored outcomes as {@code channel.key}.
 */
@MessageBundle(value = "channel", locale = "en")
public interface ChannelMessages {

    @Message("Notification channels")
    String title();

    @Message("Where incidents are sent. A channel hears of what its route takes; an escalation channel hears of an"
            + " incident only when nobody acknowledged it in time. A resolution goes where its incident went.")
    String intro();

    @Message("Channels")
    String link();

    @Message("No channels yet.")
    String none();

    @Message("Webhook addresses from the environment hear of every incident too: {count}.")
    String fromEnvironment(long count);

    @Message("Channels, by name")
    String caption();

    @Message("Name")
    String colName();

    @Message("Hears of")
    String colRoute();

    @Message("When")
    String colWhen();

    @Message("Last delivery")
    String colLast();

    @Message("Actions")
    String colActions();

    @Message("every incident")
    String routeEvery();

    @Message("critical only")
    String routeCritical();

    @Message("on hosts labelled")
    String routeLabel();

    @Message("at once")
    String atOnce();

    @Message("after {minutes} min unacknowledged")
    String escalateAfter(Integer minutes);

    @Message("off")
    String off();

    @Message("nothing sent yet")
    String neverSent();

    @Message("sent")
    String statusSent();

    @Message("failed, retrying")
    String statusRetrying();

    @Message("gave up")
    String statusFailed();

    @Message("waiting")
    String statusWaiting();

    @Message("Send a test")
    String sendTest();

    @Message("Edit")
    String edit();

    @Message("Remove")
    String remove();

    @Message("Add a channel")
    String addHeading();

    @Message("Edit channel {name}")
    String editHeading(String name);

    @Message("Name")
    String fieldName();

    @Message("Webhook address")
    String fieldUrl();

    @Message("http or https. Only admins see it whole: such an address is often its own secret.")
    String fieldUrlHint();

    @Message("Body")
    String fieldFormat();

    @Message("chat format: the text only")
    String formatSlack();

    @Message("generic format: the text and every field of the incident")
    String formatJson();

    @Message("Severity")
    String fieldSeverity();

    @Message("warning and critical")
    String severityWarning();

    @Message("critical only")
    String severityCritical();

    @Message("Kinds (none ticked: every kind)")
    String fieldKinds();

    @Message("Host label")
    String fieldLabel();

    @Message("Empty: every host.")
    String fieldLabelHint();

    @Message("Escalate after (minutes)")
    String fieldEscalate();

    @Message("Empty: told at once. A number: told only of incidents nobody acknowledged that long.")
    String fieldEscalateHint();

    @Message("On")
    String fieldEnabled();

    @Message("Add channel")
    String add();

    @Message("Notifications")
    String deliveriesHeading();

    @Message("Nobody was notified of this incident.")
    String deliveriesNone();

    @Message("What was sent about this incident, oldest first")
    String deliveriesCaption();

    @Message("Channel")
    String colChannel();

    @Message("Event")
    String colEvent();

    @Message("Status")
    String colStatus();

    @Message("Tries")
    String colTries();

    @Message("opened")
    String eventOpened();

    @Message("reopened")
    String eventReopened();

    @Message("raised to critical")
    String eventEscalated();

    @Message("nobody acknowledged")
    String eventUnacknowledged();

    @Message("resolved")
    String eventResolved();

    @Message("test")
    String eventTest();

    // outcomes after a redirect (stored as channel.key)
    @Message("Channel {name} added.")
    String flashAdded(String name);

    @Message("Channel {name} saved.")
    String flashSaved(String name);

    @Message("Channel {name} removed.")
    String flashRemoved(String name);

    @Message("The test reached {name}.")
    String flashTestSent(String name);

    @Message("The test did not reach {name}: {error}. It is retried like any notification.")
    String flashTestFailed(String name, String error);
}
