package dev.linger.note;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** For the job page ({@code inject:jobNotes.of(id)}): the notes on a job, oldest first. */
@Named("jobNotes")
@RequestScoped
public class JobNotes {

    private final Notes notes;

    JobNotes(Notes notes) {
        this.notes = notes;
    }

    public List<Note> of(long jobId) {
        return notes.ofJob(jobId);
    }
}
