package dev.linger.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void higherRolesCarryTheLowerOnes() {
        assertEquals(Set.of("viewer", "operator", "approver", "admin"), Role.effective(EnumSet.of(Role.ADMIN)));
        assertEquals(Set.of("viewer", "approver"), Role.effective(EnumSet.of(Role.APPROVER)));
        assertEquals(Set.of("viewer", "operator"), Role.effective(EnumSet.of(Role.OPERATOR)));
    }

    @Test
    void approverIsNotAnOperator() {
        assertTrue(!Role.effective(EnumSet.of(Role.APPROVER)).contains("operator"));
    }

    @Test
    void parsingIsCaseInsensitiveAndNamesTheValidRolesWhenWrong() {
        assertEquals(Role.APPROVER, Role.parse(" Approver "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
        assertEquals("unknown role \"root\"; roles are viewer, operator, approver, admin", e.getMessage());
    }

    @Test
    void storedFormRoundTrips() {
        EnumSet<Role> roles = EnumSet.of(Role.APPROVER, Role.OPERATOR);
        assertEquals("operator,approver", Role.toStored(roles));
        assertEquals(roles, Role.fromStored("operator,approver"));
    }
}
