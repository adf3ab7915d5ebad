package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the web security guards (issue 12 items 1, 2 and 5): API refusals (always English, as the API speaks),
 * the admin's password reset and the account page after one. Chinese in {@code messages/sec_zh.properties}.
 * Templates reach them as {@code sec:key}.
 */
@MessageBundle(value = "sec", locale = "en")
public interface SecurityMessages {

    // issue 12 item 2: the API refuses what a browser sends from another site
    @Message("A browser sent this change from another site, so Linger refuses it. Call the API from a script"
            + " (curl sends no Origin header) or use Linger's own pages.")
    String apiCrossSite();

    @Message("Send the request body as application/json.")
    String apiJsonOnly();

    @Message("Sign in with a personal API token (Authorization: Bearer lgr_…) or with HTTP Basic: your Linger user name and password.")
    String apiSignIn();

    // issue 17: an admin can turn HTTP Basic off (linger.api.basic-auth.enabled=false)
    @Message("HTTP Basic sign-in is turned off on this Linger server.")
    String apiBasicOff();

    // issue 12 item 5: sessions and passwords
    @Message("An admin reset your password. Choose your own on the Account page before using the API.")
    String passwordResetApi();

    @Message("An admin reset your password. Choose your own password to go on.")
    String accountMustChange();

    @Message("Reset password")
    String userResetPassword();

    @Message("Reset the password of {name}")
    String userResetPasswordOf(String name);

    @Message("Temporary password")
    String userTemporaryPassword();

    @Message("Tell it to them in person. They must replace it when they next sign in; they are signed out now.")
    String userTemporaryPasswordHint();

    @Message("Set a temporary password")
    String userResetPasswordButton();

    @Message("must change password")
    String userMustChange();

    @Message("The password of {name} is reset and {name} is signed out everywhere. They choose their own at the"
            + " next sign-in.")
    String flashPasswordReset(String name);

    @Message("Your password is changed. Your other sessions are signed out.")
    String flashPasswordChanged();
}
