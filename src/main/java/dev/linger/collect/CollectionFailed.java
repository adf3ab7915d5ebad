package dev.linger.collect;

import dev.linger.transport.TransportFailure;

/**
 * A collection failed in a way that counts: the host's schedule recorded the failure under this instance's
 * lease, the host is past its grace period, and the failure is not a host key still waiting to be trusted.
 * Fired synchronously inside the transaction that recorded the failure.
 *
 * @param kind  why it failed; {@link TransportFailure.Kind#HOST_KEY_CHANGED} is a security event, the rest make
 *              the host unreachable
 * @param error what failed, as shown on the host
 */
public record CollectionFailed(long hostId, String hostName, TransportFailure.Kind kind, String error) {
}
