package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Remediation policies (issue 18 item 5), in English; {@code messages/policy_zh.properties} has each in Simplified
 * Chinese. Templates reach them as {@code policy:key}; stored outcomes as {@code policy.key}.
 */
@MessageBundle(value = "policy", locale = "en")
public interface PolicyMessages {

    @Message("Remediation policies")
    String title();

    @Message("A policy runs a low-risk runbook on an incident by itself, as a normal job with its plan, records and"
            + " rollback, approved by the policy. Its limits and its breaker keep it from running away: after too"
            + " many failed runs it turns itself off and pages people.")
    String intro();

    @Message("Policies")
    String link();

    @Message("No policies: every job waits for people.")
    String none();

    @Message("Policies, by name")
    String caption();

    @Message("Name")
    String colName();

    @Message("Does")
    String colDoes();

    @Message("Limits")
    String colLimits();

    @Message("State")
    String colState();

    @Message("Actions")
    String colActions();

    @Message("runs")
    String runs();

    @Message("version {version}")
    String version(int version);

    @Message("on hosts labelled")
    String onLabel();

    @Message("{perHost} a host and {perHour} in all per hour; off after {breaker} failed runs")
    String limits(int perHost, int perHour, int breaker);

    @Message("only between {window} UTC")
    String onlyIn(String window);

    @Message("on")
    String stateOn();

    @Message("dry run: proposes only")
    String stateDryRun();

    @Message("tripped")
    String stateTripped();

    @Message("off")
    String stateOff();

    @Message("{failed} runs failed or came back")
    String trippedBecause(Object failed);

    @Message("Turn on")
    String enable();

    @Message("Turn off")
    String disable();

    @Message("Remove")
    String remove();

    @Message("Add a policy")
    String addHeading();

    @Message("Name")
    String fieldName();

    @Message("Incident kind")
    String fieldKind();

    @Message("Host label")
    String fieldLabel();

    @Message("Empty: every host.")
    String fieldLabelHint();

    @Message("Runbook")
    String fieldRunbook();

    @Message("The runbook name as in its address; low risk only.")
    String fieldRunbookHint();

    @Message("Runs per host per hour")
    String fieldPerHost();

    @Message("Runs per hour in all")
    String fieldPerHour();

    @Message("Turn off after this many failed runs")
    String fieldBreaker();

    @Message("Window (UTC)")
    String fieldWindow();

    @Message("HH:MM-HH:MM; empty: any time.")
    String fieldWindowHint();

    @Message("Dry run: only propose jobs for people to decide")
    String fieldDryRun();

    @Message("Add policy")
    String add();

    // outcomes after a redirect (stored as policy.key)
    @Message("Policy {name} added.")
    String flashAdded(String name);

    @Message("Policy {name} is on; its breaker counts from now.")
    String flashOn(String name);

    @Message("Policy {name} is off.")
    String flashOff(String name);

    @Message("Policy {name} removed.")
    String flashRemoved(String name);
}
