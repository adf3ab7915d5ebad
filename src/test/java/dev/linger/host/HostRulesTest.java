package dev.linger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.linger.InvalidInput;

class HostRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"db-1", "db-1.example.net", "192.0.2.10", "10.231.7.2", "2001:db8::10", "::1", "localhost",
            "a", "EXAMPLE.com."})
    void plainAddressesAreAccepted(String address) {
        assertNull(HostRules.addressProblem(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-oProxyCommand=sh", "a b", "db;reboot", "$(id)", "`id`", "999.1.1.1", "1.2.3",
            "host_name.example", "..", "a..b", "2001:db8::zz", "[::1]", "ex ample.com", "db\n1"})
    void addressesThatCouldSurpriseAShellOrSshAreRefused(String address) {
        assertTrue(HostRules.addressProblem(address) != null, address);
    }

    @Test
    void defaultsFillTheGapsAndTransportIsNormalised() {
        HostRules.Valid v = HostRules.check(new HostInput(" web-1 ", "web-1.example.net", null, null, "ssh", null, null), 30);
        assertEquals("web-1", v.name());
        assertEquals(22, v.sshPort());
        assertEquals("root", v.sshUser());
        assertEquals("SSH", v.transport());
        assertEquals(30, v.collectIntervalSeconds());
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        InvalidInput e = assertThrows(InvalidInput.class, () -> HostRules.check(
                new HostInput("bad name!", "a b", 0, "Root;", "telnet", false, 1), 30));
        assertEquals(java.util.Set.of("name", "address", "sshPort", "sshUser", "transport", "collectIntervalSeconds"),
                e.fields().keySet());
    }

    @Test
    void aMaintenanceWindowIsItsStartAndEndMinuteAndMaySpanMidnight() {
        assertEquals(new HostRules.MinuteWindow(22 * 60, 6 * 60), HostRules.window("22:00-06:00"));
        assertEquals(new HostRules.MinuteWindow(9 * 60 + 5, 17 * 60 + 30), HostRules.window(" 09:05 - 17:30 "));
        assertNull(HostRules.window("10:00-10:00"), "an empty window is none");
        assertNull(HostRules.window("24:00-06:00"));
        assertNull(HostRules.window("22:00"));
        assertEquals("22:00-06:00", HostRules.window(22 * 60, 6 * 60));
        assertNull(HostRules.window(null, 6 * 60));
    }
}
