package dev.linger.user;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import dev.linger.login.BasicAuthCache;
import dev.linger.login.SessionStore;
import dev.linger.login.StepUp;

/** Adds and changes users. Every change is checked first and audited in the same transaction. */
@ApplicationScoped
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    private static final long BOOTSTRAP_LOCK = 0x4c494e4741444dL; // "LINGADM"

    private final Passwords passwords;
    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;
    private final SessionStore sessions;
    private final BasicAuthCache basicCache;

    private final StepUp stepUp;

    UserService(Passwords passwords, AuditLog audit, EntityManager em, Clock clock, SessionStore sessions,
            BasicAuthCache basicCache, StepUp stepUp) {
        this.stepUp = stepUp;
        this.sessions = sessions;
        this.basicCache = basicCache;
        this.passwords = passwords;
        this.audit = audit;
        this.em = em;
        this.clock = clock;
    }

    /** The form of a user name Linger stores and compares: trimmed, lower case. */
    public static String normalize(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    public List<UserView> list() {
        return AppUser.<AppUser>listAll(io.quarkus.panache.common.Sort.by("username")).stream().map(UserView::of)
                .toList();
    }

    @Transactional
    public UserView create(String actor, String username, String password, List<String> roleNames) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String name = normalize(username);
        Text nameProblem = usernameProblem(name);
        if (nameProblem != null) {
            problems.put("username", nameProblem);
        }
        Text passwordProblem = Passwords.problem(password);
        if (passwordProblem != null) {
            problems.put("password", passwordProblem);
        }
        Set<Role> roles = parseRoles(roleNames, problems);
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        lockUsers();
        if (AppUser.findByUsername(name).isPresent()) {
            throw InvalidInput.conflict("username", Text.of("refuse.userNameTaken", name));
        }
        AppUser user = new AppUser();
        user.username = name;
        user.passwordHash = passwords.hash(password);
        user.roles = Role.toStored(roles);
        user.createdAt = clock.instant();
        user.createdBy = actor;
        user.persistAndFlush();
        audit.record(actor, "user.created", "user", name, Map.of("roles", Role.toStored(roles)));
        return UserView.of(user);
    }

    @Transactional
    public UserView changeRoles(String actor, long userId, List<String> roleNames, StepUp.Proof proof) {
        Map<String, Text> problems = new LinkedHashMap<>();
        Set<Role> roles = parseRoles(roleNames, problems);
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        AppUser user = require(userId);
        if (user.username.equals(actor) && !roles.contains(Role.ADMIN)) {
            throw InvalidInput.of("roles", Text.of("refuse.ownAdmin"));
        }
        if (!Role.toStored(roles).equals(user.roles)) {
            stepUp.require(proof);
        }
        String before = user.roles;
        user.roles = Role.toStored(roles);
        // the version check on every cache hit refuses the old entry anyway; this frees it now
        basicCache.forget(user.id);
        Map<String, Object> details = new LinkedHashMap<>(proof.details());
        details.put("before", before);
        details.put("after", user.roles);
        audit.record(actor, "user.roles_changed", "user", user.username, details);
        return UserView.of(user);
    }

    @Transactional
    public UserView setDisabled(String actor, long userId, boolean disabled) {
        AppUser user = require(userId);
        if (user.username.equals(actor)) {
            throw InvalidInput.of("user", Text.of("refuse.disableSelf"));
        }
        if (user.disabled != disabled) {
            user.disabled = disabled;
            basicCache.forget(user.id);
            if (disabled) {
                // a disabled account loses its open sessions at once
                em.createNativeQuery("DELETE FROM user_session WHERE user_id = ?1").setParameter(1, user.id)
                        .executeUpdate();
            }
            audit.record(actor, disabled ? "user.disabled" : "user.enabled", "user", user.username, Map.of());
        }
        return UserView.of(user);
    }

    /** Marks an account as one that may use a password when local sign-in is off (or no longer). Audited. */
    @Transactional
    public UserView setBreakGlass(String actor, long userId, boolean breakGlass) {
        AppUser user = require(userId);
        if (user.signsInThroughProvider()) {
            throw InvalidInput.of("user", Text.of("refuse.breakGlassProvider", user.username));
        }
        if (user.breakGlass != breakGlass) {
            user.breakGlass = breakGlass;
            basicCache.forget(user.id);
            audit.record(actor, breakGlass ? "user.break_glass_on" : "user.break_glass_off", "user", user.username,
                    Map.of());
        }
        return UserView.of(user);
    }

    /** Whether an enabled admin could still sign in with a password if local sign-in were turned off. */
    @Transactional
    public boolean hasBreakGlassAdmin() {
        return AppUser.<AppUser>list("breakGlass = true and disabled = false").stream()
                .anyMatch(u -> u.roleSet().contains(Role.ADMIN));
    }

    /**
     * Changes one's own password and ends every other session of that person (the one holding
     * {@code keepSessionToken} stays signed in); clears a reset by an admin.
     */
    @Transactional
    public void changeOwnPassword(String username, String current, String next, String keepSessionToken) {
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> InvalidInput.of("current",
                Text.of("refuse.accountGone")));
        Map<String, Text> problems = new LinkedHashMap<>();
        if (!passwords.matches(current, user.passwordHash)) {
            problems.put("current", Text.of("refuse.currentPassword"));
        }
        Text problem = Passwords.problem(next);
        if (problem != null) {
            problems.put("next", problem);
        } else if (problems.isEmpty() && next.equals(current)) {
            problems.put("next", Text.of("refuse.passwordUnchanged"));
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        user.passwordHash = passwords.hash(next);
        boolean wasReset = user.mustChangePassword;
        user.mustChangePassword = false;
        basicCache.forget(user.id);
        int ended = sessions.closeAllOf(user.id, keepSessionToken);
        audit.record(username, "user.password_changed", "user", username,
                Map.of("otherSessionsEnded", ended, "afterReset", wasReset));
    }

    /**
     * An admin sets a temporary password for someone else, who must replace it at the next sign-in; every
     * session of that person ends now. The password itself is never recorded.
     */
    @Transactional
    public UserView resetPassword(String actor, long userId, String temporary) {
        AppUser user = require(userId);
        if (user.username.equals(actor)) {
            throw InvalidInput.of("password", Text.of("refuse.resetSelf"));
        }
        Text problem = Passwords.problem(temporary);
        if (problem != null) {
            throw InvalidInput.of("password", problem);
        }
        user.passwordHash = passwords.hash(temporary);
        user.mustChangePassword = true;
        basicCache.forget(user.id);
        int ended = sessions.closeAllOf(user.id, null);
        audit.record(actor, "user.password_reset", "user", user.username, Map.of("sessionsEnded", ended));
        return UserView.of(user);
    }

    /**
     * On a database without users, creates {@code admin} with the configured password, or a
     * generated one that is logged this once. Safe when several instances start together.
     */
    @Transactional
    public void bootstrapAdmin(LingerConfig config) {
        em.createNativeQuery("SELECT CAST(pg_advisory_xact_lock(?1) AS text)").setParameter(1, BOOTSTRAP_LOCK)
                .getSingleResult();
        if (AppUser.count() > 0) {
            return;
        }
        String given = config.adminPassword().filter(p -> !p.isEmpty()).orElse(null);
        String password = given != null ? given : generatePassword();
        Text problem = Passwords.problem(password);
        if (problem != null) {
            throw new IllegalStateException("LINGER_ADMIN_PASSWORD is not acceptable: "
                    + InvalidInput.of("password", problem).getMessage());
        }
        AppUser admin = new AppUser();
        admin.username = "admin";
        admin.passwordHash = passwords.hash(password);
        admin.roles = Role.toStored(EnumSet.of(Role.ADMIN));
        admin.createdAt = clock.instant();
        admin.createdBy = AuditLog.SYSTEM;
        admin.breakGlass = true;
        admin.persist();
        audit.record(AuditLog.SYSTEM, "user.created", "user", "admin",
                Map.of("roles", admin.roles, "password", given != null ? "from LINGER_ADMIN_PASSWORD" : "generated"));
        if (given == null) {
            LOG.warnf("Created user 'admin' with the generated password: %s  (shown this once; change it on the"
                    + " Account page, or set LINGER_ADMIN_PASSWORD before the first start)", password);
        } else {
            LOG.info("Created user 'admin' with the password from LINGER_ADMIN_PASSWORD");
        }
    }

    public static Text usernameProblem(String name) {
        if (name.isEmpty()) {
            return Text.of("refuse.userNameMissing");
        }
        if (!USERNAME.matcher(name).matches()) {
            return Text.of("refuse.userNameForm");
        }
        return null;
    }

    private static Set<Role> parseRoles(List<String> names, Map<String, Text> problems) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names == null ? List.<String>of() : names) {
            try {
                roles.add(Role.parse(n));
            } catch (IllegalArgumentException e) {
                problems.put("roles", Text.of("refuse.unknownRole", n == null ? "" : n.strip(),
                        String.join(", ", java.util.Arrays.stream(Role.values()).map(Role::id).toList())));
                return roles;
            }
        }
        if (roles.isEmpty()) {
            problems.put("roles", Text.of("refuse.noRole"));
        }
        return roles;
    }

    private AppUser require(long id) {
        AppUser user = AppUser.findById(id);
        if (user == null) {
            throw new dev.linger.NotFound(Text.of("refuse.noUser", id));
        }
        return user;
    }

    /** Serialises user creation so two admins adding the same name get one user and one clear refusal. */
    public void lockUsers() {
        em.createNativeQuery("SELECT CAST(pg_advisory_xact_lock(?1) AS text)").setParameter(1, BOOTSTRAP_LOCK)
                .getSingleResult();
    }

    private static String generatePassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
