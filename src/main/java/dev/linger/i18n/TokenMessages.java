package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The API tokens section of the Account page (issue 17 item 3), in English; {@code messages/token_zh.properties}
 * has each in Simplified Chinese. Templates reach them as {@code token:key}; refusals are in {@link RefusalMessages}.
 */
@MessageBundle(value = "token", locale = "en")
public interface TokenMessages {

    @Message("API tokens")
    String title();

    @Message("Scripts send a token instead of your password, in the request header shown below. A token never"
            + " has more than your roles, and stops working when you lose them.")
    String intro();

    @Message("You have no API tokens.")
    String none();

    @Message("Your API tokens")
    String caption();

    @Message("Name")
    String colName();

    @Message("Begins with")
    String colPrefix();

    @Message("Scopes")
    String colScopes();

    @Message("Created")
    String colCreated();

    @Message("Expires")
    String colExpires();

    @Message("Last used")
    String colLastUsed();

    @Message("Actions")
    String colActions();

    @Message("never")
    String neverUsed();

    @Message("from {address}")
    String usedFrom(String address);

    @Message("revoked")
    String revoked();

    @Message("expired")
    String expired();

    @Message("Revoke")
    String revoke();

    @Message("Revoke the token {name}")
    String revokeOf(String name);

    @Message("New token")
    String create();

    @Message("Name")
    String name();

    @Message("What it is for, for example the nightly report.")
    String nameHint();

    @Message("see everything")
    String scopeRead();

    @Message("propose jobs, acknowledge and resolve incidents")
    String scopeOperate();

    @Message("approve and reject jobs")
    String scopeApprove();

    @Message("everything, including users and tokens")
    String scopeAdmin();

    @Message("Valid for (days)")
    String days();

    @Message("1 to {max} days.")
    String daysHint(int max);

    @Message("Create token")
    String createButton();

    @Message("Your new token")
    String newToken();

    @Message("Copy it now: Linger shows it only this once and keeps only its hash.")
    String newTokenHint();

    @Message("Revoked the token {name}.")
    String flashRevoked(String name);
}
