package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Notes on incidents and jobs (issue 18 item 4), in English; {@code messages/note_zh.properties} has each in
 * Simplified Chinese. Templates reach them as {@code note:key}; stored outcomes as {@code note.key}.
 */
@MessageBundle(value = "note", locale = "en")
public interface NoteMessages {

    @Message("Notes")
    String heading();

    @Message("No notes yet.")
    String none();

    @Message("{author} wrote")
    String wrote(String author);

    @Message("sent to the channels")
    String sent();

    @Message("Add a note")
    String add();

    @Message("Markdown: **bold**, `code`, lists, links. Everyone who can read this page reads it.")
    String hint();

    @Message("Also send it to the channels that heard of this incident")
    String alsoSend();

    @Message("Save note")
    String save();

    // outcomes after a redirect (stored as note.key)
    @Message("Note saved.")
    String flashSaved();

    @Message("Note saved and sent to the channels that heard of this incident.")
    String flashSent();

    @Message("Note saved; not sent: a silence holds, or no channel heard of this incident.")
    String flashNotSent();
}
