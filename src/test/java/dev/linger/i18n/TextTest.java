package dev.linger.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** A stored fact survives jsonb with its types, is checked where it is made, and is said in the reader's language. */
@QuarkusTest
class TextTest {

    @Test
    void roundTripsThroughJsonWithItsTypes() {
        Text nested = Text.of("job.rollbackOf", 7);
        Text text = new Text("msg.listSeparator", List.of());
        Text outer = new Text("x.y", List.of("a", 3, 2.5, true, nested, List.of(nested, text)));
        Text back = Text.fromJson(outer.toJson());
        assertEquals(outer, back);
        assertEquals(Long.class, back.args().get(1).getClass(), "whole numbers come back as Long");
        assertEquals("{\"key\":\"job.rollbackOf\",\"args\":[7]}", nested.toJson());
    }

    @Test
    void refusesUnknownKeysAndArgumentsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> Text.of("job.noSuchMessage"));
        assertThrows(IllegalArgumentException.class, () -> Text.of("job.rollbackOf"), "missing argument");
        assertThrows(IllegalArgumentException.class, () -> Text.of("job.rollbackOf", "seven"), "a word for a number");
        assertThrows(IllegalArgumentException.class, () -> Text.of("job.rollbackOf", (Object) null));
    }

    @Test
    void rendersInTheLocaleWithNestedTextsAndLists() {
        Text rollback = Text.of("job.rollbackOf", 7);
        assertEquals("rollback of #7", Catalogue.render(rollback, Locale.ENGLISH));
        assertEquals("回滚 #7", Catalogue.render(rollback, Locale.forLanguageTag("zh-CN")), "zh-CN falls back to zh");
        assertEquals("rollback of #7", Catalogue.render(rollback, Locale.forLanguageTag("fr")), "unknown: English");
        Text list = new Text("job.approvalsOnHost", List.of(List.of(Text.of("job.rollbackOf", 1), Text.of("job.rollbackOf", 2))));
        assertEquals(" on <strong>rollback of #1, rollback of #2</strong>", Catalogue.render(list, Locale.ENGLISH));
        assertTrue(Catalogue.render(list, Locale.CHINESE).contains("回滚 #1、回滚 #2"), Catalogue.render(list, Locale.CHINESE));
    }

    @Test
    void aKeyThatIsGoneShowsItselfInsteadOfFailingThePage() {
        assertEquals("job.goneSince2025[3]", Catalogue.render(new Text("job.goneSince2025", List.of(3)), Locale.ENGLISH));
    }
}
