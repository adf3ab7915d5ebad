package dev.linger.user;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.login.LoginPolicy;
import dev.linger.sso.OidcSettings;

/** The checks before the sign-in rules change, shared by the Users page and the API. */
final class SignInRules {

    private SignInRules() {
    }

    /** Passwords for everyone, or only for break-glass accounts. */
    static void setLocalSignIn(String actor, boolean on, OidcSettings sso, UserService users, LoginPolicy policy) {
        if (!on && !sso.enabled()) {
            throw InvalidInput.of("localSignIn", Text.of("refuse.localOffWithoutProvider"));
        }
        if (!on && !users.hasBreakGlassAdmin()) {
            // with the provider down, a break-glass admin is the only way back in
            throw InvalidInput.of("localSignIn", Text.of("refuse.localOffWithoutBreakGlass"));
        }
        policy.setLocalSignIn(actor, on);
    }

    /**
     * Codes required of approvers and admins who use a password. The admin who turns it on must have codes (or sign
     * in through the provider): otherwise the next page they open would send them to set codes up.
     */
    static void setCodesRequired(String actor, boolean required, LoginPolicy policy) {
        if (required) {
            AppUser me = AppUser.findByUsername(actor).orElseThrow();
            if (!me.hasTotp() && !me.signsInThroughProvider()) {
                throw InvalidInput.of("codesRequired", Text.of("refuse.codesFirstYourself"));
            }
        }
        policy.setTotpRequired(actor, required);
    }
}
