package dev.linger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMappings;

/** The compose file names only settings the application really reads: a typo there is a silent misconfiguration. */
@QuarkusTest
class ComposeConfigTest {

    @Test
    void everyEnvironmentVariableOfTheLingerServiceIsASettingLingerReads() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("docker-compose.yml")));
        JsonNode environment = compose.path("services").path("linger").path("environment");
        assertTrue(environment.isObject() && environment.size() > 0, "services.linger.environment is a map");

        Set<String> lingerSettings = ConfigMappings
                .getProperties(ConfigMappings.ConfigClass.configClass(LingerConfig.class, "linger")).keySet().stream()
                .map(ComposeConfigTest::envName).collect(Collectors.toSet());
        Set<String> quarkusSettings = StreamSupport
                .stream(ConfigProvider.getConfig().getPropertyNames().spliterator(), false)
                .filter(n -> n.startsWith("quarkus.")).map(ComposeConfigTest::envName).collect(Collectors.toSet());

        List<String> unknown = new ArrayList<>();
        environment.fieldNames().forEachRemaining(name -> {
            boolean known = name.startsWith("LINGER_") ? lingerSettings.contains(name)
                    : name.startsWith("QUARKUS_") && (quarkusSettings.contains(name)
                            || name.equals("QUARKUS_DATASOURCE_PASSWORD"));
            if (!known) {
                unknown.add(name);
            }
        });
        assertEquals(List.of(), unknown, "names in docker-compose.yml that Linger does not read");
        assertTrue(lingerSettings.contains("LINGER_ADMIN_PASSWORD"));
        assertTrue(environment.has("LINGER_ADMIN_PASSWORD"), "the admin password comes from the environment");
        assertTrue(environment.has("LINGER_SSH_PRIVATE_KEY_FILE"), "the SSH key path comes from the environment");
        assertTrue(environment.has("QUARKUS_DATASOURCE_JDBC_URL"));
        assertFalse(environment.toString().contains("password=") , "no secret is written into the file");
    }

    /** The environment variable SmallRye Config maps to a property: non-alphanumerics to '_', upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
