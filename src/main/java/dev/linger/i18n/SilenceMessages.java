package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Silences (issue 18 item 1), in English; {@code messages/silence_zh.properties} has each in Simplified Chinese.
 * Templates reach them as {@code silence:key}; stored outcomes as {@code silence.key}.
 */
@MessageBundle(value = "silence", locale = "en")
public interface SilenceMessages {

    @Message("Silences")
    String title();

    @Message("A silenced incident still opens and shows here, marked; it notifies nobody. Silences end by themselves.")
    String intro();

    @Message("No silences.")
    String none();

    @Message("Silences, newest first")
    String caption();

    @Message("Matches")
    String colMatches();

    @Message("When")
    String colWhen();

    @Message("Why")
    String colWhy();

    @Message("State")
    String colState();

    @Message("Actions")
    String colActions();

    @Message("holds now")
    String stateActive();

    @Message("waiting")
    String stateWaiting();

    @Message("over")
    String stateOver();

    @Message("every {days}, {from}–{to} ({zone})")
    String weekly(String days, String from, String to, String zone);

    @Message("End now")
    String end();

    @Message("silenced")
    String badge();

    @Message("Silenced until {until} UTC: notifies nobody.")
    String silencedUntil(String until);

    @Message("by job {job}")
    String byJob(Long job);

    @Message("Silence for 1 h")
    String silenceHour();

    @Message("Silences")
    String link();

    @Message("by {who}")
    String byWho(String who);

    // outcomes after a redirect (stored as silence.key)
    @Message("Silence {id} holds for {hours} h: this incident notifies nobody until then.")
    String flashCreated(long id, long hours);

    @Message("Silence {id} ended.")
    String flashEnded(long id);

    @Message("silenced from incident #{id}")
    String fromIncident(long id);

    @Message("job {job} runs on this incident: silenced until its VERIFY")
    String whileJob(long job);

    @Message("While this job ran, notifications about incident #{incident} were silenced until its VERIFY:")
    String jobSilenced(Long incident);

    @Message("from {from} UTC, ended {ended} UTC.")
    String jobSilenceEnded(String from, String ended);

    @Message("since {from} UTC, still holding.")
    String jobSilenceHolds(String from);
}
