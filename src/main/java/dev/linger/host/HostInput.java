package dev.linger.host;

/** What a person sends to add or change a host. Everything is checked by {@link HostRules} before use. */
public record HostInput(String name, String address, Integer sshPort, String sshUser, String transport, Boolean sudo,
        Integer collectIntervalSeconds, java.util.List<Integer> servicePorts, Integer closeWaitThreshold,
        Integer finWait1AgeSeconds, String maintenanceWindow, java.util.List<String> labels) {

    /** Without labels (an update keeps the host's labels; a new host has none). */
    public HostInput(String name, String address, Integer sshPort, String sshUser, String transport, Boolean sudo,
            Integer collectIntervalSeconds, java.util.List<Integer> servicePorts, Integer closeWaitThreshold,
            Integer finWait1AgeSeconds, String maintenanceWindow) {
        this(name, address, sshPort, sshUser, transport, sudo, collectIntervalSeconds, servicePorts, closeWaitThreshold,
                finWait1AgeSeconds, maintenanceWindow, null);
    }

    /** Without a maintenance window (HIGH-risk jobs may run any time). */
    public HostInput(String name, String address, Integer sshPort, String sshUser, String transport, Boolean sudo,
            Integer collectIntervalSeconds, java.util.List<Integer> servicePorts, Integer closeWaitThreshold,
            Integer finWait1AgeSeconds) {
        this(name, address, sshPort, sshUser, transport, sudo, collectIntervalSeconds, servicePorts, closeWaitThreshold,
                finWait1AgeSeconds, null);
    }

    /** Without the incident settings (they keep their defaults). */
    public HostInput(String name, String address, Integer sshPort, String sshUser, String transport, Boolean sudo,
            Integer collectIntervalSeconds) {
        this(name, address, sshPort, sshUser, transport, sudo, collectIntervalSeconds, null, null, null, null);
    }
}
