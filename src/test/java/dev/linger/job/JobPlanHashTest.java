package dev.linger.job;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.Browser;
import dev.linger.TestUsers;
import dev.linger.i18n.Catalogue;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Approvals are bound to the plan hash: it covers host, runbook version, parameters and commands, never the plan's
 * texts, so it is the same whatever language the plan is read in, and the facts in the plan do not move it.
 */
@QuarkusTest
class JobPlanHashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestUsers users;

    @Inject
    EntityManager em;

    @Test
    void thePlanHashIsTheSameBeforeAndAfterThePlanIsReadInEitherLanguage() throws Exception {
        TestUsers.Person operator = users.create("operator");
        String slug = "hash-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Orphans to zero", "risk", "HIGH", "steps", List.of(
                Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans"),
                Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", 0),
                Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans"))))
                .post("/api/v1/runbooks").then().statusCode(201);
        long host = Jobs.localHost();
        long id = Jobs.propose(operator, slug, host, Map.of());
        Object[] before = row(id);

        for (String language : List.of("zh-CN", "en")) {
            Browser.signedIn(operator.name(), operator.password()).acceptLanguage(language).get("/jobs/" + id).then()
                    .statusCode(200);
        }
        Jobs.job(id);
        Object[] after = row(id);
        assertEquals(before[0], after[0], "reading the plan changes neither the hash");
        assertEquals(before[2], after[2], "nor the plan");

        List<Map<String, Object>> steps = JSON.readValue((String) before[2],
                new TypeReference<Map<String, Object>>() {
                }).get("steps") instanceof List<?> l ? cast(l) : List.of();
        long version = ((Number) before[1]).longValue();
        String hash = (String) before[0];
        assertEquals(hash, JobPlanner.hash(host, version, Map.of(), steps), "the hash as defined: from the stored plan");
        assertTrue(steps.get(1).get("blastRadius") instanceof Map<?, ?>, "the plan holds a fact: " + steps.get(1));
        for (Locale locale : List.of(Locale.ENGLISH, Locale.forLanguageTag("zh-CN"))) {
            assertEquals(hash, JobPlanner.hash(host, version, Map.of(), said(steps, locale)),
                    "the hash does not depend on the language the texts are said in: " + locale);
        }
        List<Map<String, Object>> otherCommand = said(steps, Locale.ENGLISH);
        otherCommand.get(1).put("command", "sysctl -w net.ipv4.tcp_max_orphans=1");
        assertNotEquals(hash, JobPlanner.hash(host, version, Map.of(), otherCommand), "a command still moves it");
    }

    /** The steps with every fact replaced by its words in {@code locale}. */
    private static List<Map<String, Object>> said(List<Map<String, Object>> steps, Locale locale) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : steps) {
            Map<String, Object> copy = new LinkedHashMap<>(s);
            copy.replaceAll((k, v) -> v instanceof Map<?, ?> m && m.get("key") != null
                    ? Catalogue.render(StoredText.of(m), locale) : v);
            if (s.get("values") instanceof Map<?, ?> values) {
                Map<String, String> words = new LinkedHashMap<>();
                values.forEach((k, v) -> words.put(String.valueOf(k), Catalogue.render(StoredText.of(v), locale)));
                copy.put("values", words);
            }
            out.add(copy);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cast(List<?> l) {
        return (List<Map<String, Object>>) l;
    }

    private Object[] row(long id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT plan_hash, runbook_version_id, plan::text FROM job WHERE id = ?1").setParameter(1, id)
                .getSingleResult());
    }

}
