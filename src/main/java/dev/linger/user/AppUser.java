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

    @Version
    public int version;

    public Set<Role> roleSet() {
        return Role.fromStored(roles);
    }

    public static Optional<AppUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
