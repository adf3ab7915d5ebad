package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/** A job's plan, stored in English, reads in Chinese on a Chinese page: what each step changes and how it is undone. */
@QuarkusTest
class JobPlanInChineseTest {

    @Inject
    TestUsers users;

    @Test
    void thePlanSaysWhatEachStepChangesInTheReadersLanguage() {
        TestUsers.Person operator = users.create("operator");
        long id = Jobs.propose(operator, Jobs.readOnlyRunbook("LOW"), Jobs.localHost(), Map.of());

        String zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("zh-CN,zh;q=0.9")
                .get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(zh.contains("<dd>不做改动：只读取并记录该值。</dd>"), zh);
        assertTrue(zh.contains("<dd>只读取。</dd>"), zh);
        assertTrue(zh.contains("sysctl -n net.ipv4.tcp_fin_timeout"), "the command stays as it is");
        assertFalse(zh.contains("Nothing: the value is read and recorded."), zh);

        String en = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("en-US")
                .get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(en.contains("<dd>Nothing: the value is read and recorded.</dd>"), en);
        assertTrue(en.contains("<dd>Reads only.</dd>"), en);
        assertFalse(en.contains("只读取"), en);
    }
}
