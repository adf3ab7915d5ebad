package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Single sign-on, local sign-in and step-up (issue 17 items 1, 4), in English; {@code messages/sso_zh.properties}
 * has each in Simplified Chinese. Templates reach them as {@code sso:key}; stored outcomes as {@code sso.key}.
 * A provider's name is configuration, not a word to translate: pages put it inside {@code translate="no"}.
 */
@MessageBundle(value = "sso", locale = "en")
public interface SsoMessages {

    @Message("Sign in with single sign-on")
    String signInSso();

    /** {@code name} is HTML: the provider's escaped name inside {@code translate="no"} (rendered with {@code .raw}). */
    @Message("Sign in with {name}")
    String signInWith(String name);

    @Message("or with a Linger password")
    String orPassword();

    @Message("Your Linger account is disabled. Ask a Linger admin to enable it.")
    String refusedDisabled();

    @Message("Your account at the provider has none of the groups or roles that give a Linger role (claim {claim}). Ask"
            + " whoever runs the provider to add you to one.")
    String refusedNoRole(String claim);

    @Message("The name {name} belongs to a Linger account with a password, so the account at the provider cannot"
            + " take it. Ask a Linger admin.")
    String refusedNameTaken(String name);

    @Message("The user name {name} from the provider cannot be a Linger user name (lower-case letters, digits, dot, dash and"
            + " underscore, 2 to 32 characters, beginning with a letter).")
    String refusedNameForm(String name);

    @Message("The provider signed in someone else than the person of this session. Sign out, then sign in again.")
    String refusedOtherPerson();

    @Message("The provider did not ask for the password again. Try once more.")
    String refusedNotFresh();

    @Message("The sign-in provider cannot be reached just now. Accounts with a password (break-glass) can still"
            + " sign in below; API tokens of Linger keep working.")
    String providerDown();

    @Message("Single sign-on is not set up on this Linger.")
    String notConfigured();

    @Message("Passwords open Linger only for break-glass accounts now. Sign in with single sign-on.")
    String localOff();

    @Message("Signed out of Linger. The provider could not be reached, so its session may still be open.")
    String providerLogoutFailed();

    // codes from an authenticator app (TOTP)
    @Message("Enter the code from your authenticator app, with your password again.")
    String codeNeeded();

    @Message("Code from your authenticator app")
    String codeLabel();

    @Message("Six digits, or one of your recovery codes.")
    String codeHint();

    @Message("An admin requires sign-in codes of approvers and admins: set yours up on the Account page first.")
    String codesRequired();

    @Message("Require codes of approvers and admins who sign in with a password")
    String policyRequireCodes();

    @Message("Make codes optional")
    String policyCodesOptional();

    @Message("Approvers and admins who sign in with a password must use sign-in codes.")
    String policyCodesRequired();

    @Message("Approvers and admins now need sign-in codes.")
    String flashCodesRequired();

    @Message("Sign-in codes are optional again.")
    String flashCodesOptional();

    @Message("Sign-in codes")
    String totpTitle();

    @Message("Signing in takes only your password. Add a code from an authenticator app on your phone, so a stolen"
            + " password alone does not open Linger.")
    String totpOff();

    @Message("Set up codes")
    String totpBegin();

    @Message("Scan this QR code with your authenticator app, then type the code it shows.")
    String totpScan();

    @Message("Or type this key into the app:")
    String totpSecret();

    @Message("Turn codes on")
    String totpConfirm();

    @Message("Codes are on: signing in and risky decisions ask for one. Recovery codes left: {unused}.")
    String totpOn(long unused);

    @Message("Codes are on.")
    String totpOnNow();

    @Message("Keep these recovery codes somewhere safe, away from your phone. Each works once in place of a code."
            + " This page shows them only this once.")
    String recoveryIntro();

    @Message("Turn codes off")
    String totpDisable();

    @Message("Sign-in codes are off.")
    String flashTotpOff();

    // Users page
    @Message("single sign-on")
    String badgeProvider();

    @Message("break-glass")
    String badgeBreakGlass();

    @Message("Sign-in")
    String policyTitle();

    @Message("Passwords open Linger for everyone.")
    String policyLocalOn();

    @Message("Passwords open Linger only for break-glass accounts; everyone else signs in through the provider.")
    String policyLocalOff();

    @Message("Allow passwords for everyone")
    String policyTurnOn();

    @Message("Allow passwords only for break-glass accounts")
    String policyTurnOff();

    @Message("Single sign-on is not set up, so passwords stay on for everyone.")
    String policyNoProvider();

    @Message("Make break-glass")
    String makeBreakGlass();

    @Message("No longer break-glass")
    String unmakeBreakGlass();

    @Message("Roles of people who sign in through the provider come from the provider at each sign-in.")
    String providerRolesHint();

    // step-up inside a risky decision's form
    @Message("Your password again")
    String stepUpPassword();

    @Message("This decision needs a sign-in within the last {minutes} minutes; yours is older.")
    String stepUpPasswordHint(long minutes);

    @Message("Code from your authenticator app (or a recovery code)")
    String stepUpCode();

    @Message("Confirm with the sign-in provider, then come back here")
    String stepUpProviderLink();

    // outcomes shown after a redirect (stored as sso.key)
    @Message("Passwords now open Linger only for break-glass accounts.")
    String flashLocalOff();

    @Message("Passwords open Linger for everyone again.")
    String flashLocalOn();

    @Message("{name} may now sign in with a password when passwords are off.")
    String flashBreakGlassOn(String name);

    @Message("{name} is no longer a break-glass account.")
    String flashBreakGlassOff(String name);
}
