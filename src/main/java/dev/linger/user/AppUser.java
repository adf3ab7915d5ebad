package dev.linger.user;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A person who signs in to Linger. The password is kept only as a bcrypt hash. */
@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    /** Stored as "operator,approver"; use {@link #roleSet()}. */
    public String roles;

    public boolean disabled;

    /** Set when an admin reset the password: the person must choose their own before doing anything else. */
    @Column(name = "must_change_password")
    public boolean mustChangePassword;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    /** Set for someone who signs in through the OIDC provider: the account is theirs by the provider's subject. */
    @Column(name = "oidc_issuer")
    public String oidcIssuer;

    @Column(name = "oidc_subject")
    public String oidcSubject;

    /** May sign in with a password even when an admin turned local sign-in off (the first admin, break-glass). */
    @Column(name = "break_glass")
    public boolean breakGlass;

    /** The authenticator app's secret (base32); counts once {@link #totpEnabledAt} is set (issue 17 item 5). */
    @Column(name = "totp_secret")
    public String totpSecret;

    @Column(name = "totp_enabled_at")
    public Instant totpEnabledAt;

    /** The last 30-second step a code was accepted for: a code is good once. */
    @Column(name = "totp_last_step")
    public long totpLastStep;

    @Version
    public int version;

    public boolean hasTotp() {
        return totpEnabledAt != null;
    }

    public boolean signsInThroughProvider() {
        return oidcSubject != null;
    }

    public Set<Role> roleSet() {
        return Role.fromStored(roles);
    }

    public static Optional<AppUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
