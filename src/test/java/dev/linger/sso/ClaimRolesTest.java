package dev.linger.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.user.Role;

/** The README's mapping table, as written, and the shapes providers put groups and roles in. */
class ClaimRolesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode claims(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void groupsMapThroughTheTableAndRoleNamesMapToThemselves() throws Exception {
        ClaimRoles roles = ClaimRoles.parse("groups", "ops-admins=admin, oncall=operator,sre-leads = approver");
        assertEquals(EnumSet.of(Role.ADMIN, Role.OPERATOR),
                roles.rolesOf(claims("{\"groups\":[\"ops-admins\",\"oncall\",\"marketing\"]}")));
        assertEquals(EnumSet.of(Role.APPROVER), roles.rolesOf(claims("{\"groups\":[\"sre-leads\"]}")));
        assertEquals(EnumSet.of(Role.VIEWER), roles.rolesOf(claims("{\"groups\":[\"viewer\"]}")));
        // only the exact lower-case name of a role: a group called "Admin" is somebody else's naming
        assertEquals(Set.of(), roles.rolesOf(claims("{\"groups\":[\"Admin\",\"ADMIN\"]}")));
        assertEquals(Set.of(), roles.rolesOf(claims("{\"sub\":\"x\"}")));
    }

    @Test
    void aNestedPathReadsKeycloaksRealmRolesAndASingleStringCounts() throws Exception {
        ClaimRoles roles = ClaimRoles.parse("realm_access/roles", "linger-approver=approver");
        assertEquals(EnumSet.of(Role.APPROVER),
                roles.rolesOf(claims("{\"realm_access\":{\"roles\":[\"offline_access\",\"linger-approver\"]}}")));
        ClaimRoles single = ClaimRoles.parse("role", "");
        assertEquals(EnumSet.of(Role.OPERATOR), single.rolesOf(claims("{\"role\":\"operator\"}")));
        assertEquals(Set.of(), roles.rolesOf(claims("{\"realm_access\":\"admin\"}")));
    }

    @Test
    void aMapThatIsNotValueEqualsRoleStopsTheStartWithThePairNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClaimRoles.parse("groups", "ops=superuser"));
        assertTrue(e.getMessage().contains("superuser"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClaimRoles.parse("groups", "ops-admins"));
        assertTrue(e.getMessage().contains("ops-admins"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClaimRoles.parse(" ", ""));
        assertThrows(IllegalArgumentException.class, () -> ClaimRoles.parse("/groups", ""));
    }

    @Test
    void claimsComeFromTheIdTokenAndRolesFromTheAccessTokenWhenOnlyItHasThem() {
        String id = jwt("{\"iss\":\"https://sso/realms/ops\",\"sub\":\"abc\",\"preferred_username\":\"Olivia\","
                + "\"auth_time\":1700000000}");
        String access = jwt("{\"sub\":\"abc\",\"realm_access\":{\"roles\":[\"approver\"]}}");
        ProviderClaims who = ProviderClaims.of(id, access, ClaimRoles.parse("realm_access/roles", ""));
        assertEquals("https://sso/realms/ops", who.issuer());
        assertEquals("abc", who.subject());
        assertEquals("Olivia", who.preferredName());
        assertEquals(Instant.ofEpochSecond(1700000000), who.authenticatedAt());
        assertEquals(EnumSet.of(Role.APPROVER), who.roles());

        ProviderClaims byMail = ProviderClaims.of(jwt("{\"sub\":\"s\",\"email\":\"nora@example.com\",\"iat\":5}"), null,
                ClaimRoles.parse("groups", ""));
        assertEquals("nora", byMail.preferredName());
        assertEquals(Instant.ofEpochSecond(5), byMail.authenticatedAt());
        assertEquals(Set.of(), byMail.roles());
        // an opaque access token has no claims to read; nothing is taken from it
        assertEquals(Set.of(), ProviderClaims.of(jwt("{\"sub\":\"s\"}"), "opaque-token",
                ClaimRoles.parse("groups", "")).roles());
    }

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }
}
