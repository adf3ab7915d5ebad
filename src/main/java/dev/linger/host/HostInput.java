package dev.linger.host;

/** What a person sends to add or change a host. Everything is checked by {@link HostRules} before use. */
public record HostInput(String name, String address, Integer sshPort, String sshUser, String transport, Boolean sudo,
        Integer collectIntervalSeconds) {
}
