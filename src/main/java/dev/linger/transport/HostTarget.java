package dev.linger.transport;

/**
 * Everything a transport needs to reach one host: read from the database in a short
 * transaction, then used with no transaction open.
 */
public record HostTarget(long hostId, String name, String transport, String address, int sshPort, String sshUser,
        boolean sudo, String trustedFingerprint) {

    public boolean local() {
        return "LOCAL".equals(transport);
    }
}
