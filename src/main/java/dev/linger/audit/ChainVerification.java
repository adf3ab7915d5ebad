package dev.linger.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The result of checking the whole hash chain. When broken, {@code brokenAt} is the first
 * sequence number whose row does not match what was written, and {@code reason} says how.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerification(boolean ok, long events, Long brokenAt, String reason) {

    static ChainVerification intact(long events) {
        return new ChainVerification(true, events, null, null);
    }

    static ChainVerification broken(long checked, long seq, String reason) {
        return new ChainVerification(false, checked, seq, reason);
    }
}
