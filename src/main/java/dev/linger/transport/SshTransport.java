package dev.linger.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.jboss.logging.Logger;

import dev.linger.LingerConfig;

/**
 * SSH with Apache MINA SSHD. Host keys are pinned: a connection goes on only when the key the
 * host presents has the fingerprint an admin trusted; otherwise it is cut during the key exchange,
 * before authentication, and the presented fingerprint is reported. Every stage is bounded
 * (connect, auth, the command, and any read), output is capped, and sessions are reused.
 */
@ApplicationScoped
public class SshTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SshTransport.class);

    static {
        keepBouncyCastleToSshd();
    }

    /**
     * sshd's Bouncy Castle (which gives it ed25519) stays sshd's own provider instance, not added to the JVM-wide
     * {@link java.security.Security} list ({@code useNamed=false}; set before sshd registers BC, on first use of this
     * class). Quarkus' tests and dev mode start the application again in a new class loader within one JVM: a BC that
     * an earlier loader added there hands the next one keys of classes it cannot cast ({@code BC15EdDSAPublicKey} is
     * not its {@code EdDSAPublicKey}). A value given at start is kept.
     */
    static void keepBouncyCastleToSshd() {
        String property = "org.apache.sshd.security.provider.BC.useNamed";
        if (System.getProperty(property) == null) {
            System.setProperty(property, "false");
        }
    }

    /** What the key verifier of one connection knows and reports back. */
    private static final class KeyCheck {
        final String trusted;
        final AtomicReference<String> presented = new AtomicReference<>();

        KeyCheck(String trusted) {
            this.trusted = trusted;
        }
    }

    private static final AttributeRepository.AttributeKey<KeyCheck> KEY_CHECK = new AttributeRepository.AttributeKey<>();

    private record CachedKey(Path path, FileTime modified, List<KeyPair> keys) {
    }

    private final LingerConfig.Ssh config;
    private final long maxOutput;
    private final Map<HostTarget, ClientSession> sessions = new ConcurrentHashMap<>();
    private volatile SshClient client;
    private volatile CachedKey key;

    SshTransport(LingerConfig config) {
        this.config = config.ssh();
        this.maxOutput = config.collect().maxOutputBytes();
    }

    @Override
    public CommandResult run(HostTarget host, String script, Duration timeout) throws TransportFailure {
        return run(host, script, timeout, null);
    }

    /** Hands stdout to the reader as MINA receives it (the channel's I/O thread writes), keeping none of it. */
    @Override
    public CommandResult stream(HostTarget host, String script, Duration timeout, java.io.OutputStream stdout)
            throws TransportFailure {
        return run(host, script, timeout, stdout);
    }

    private CommandResult run(HostTarget host, String script, Duration timeout, java.io.OutputStream stdout)
            throws TransportFailure {
        ClientSession cached = sessions.get(host);
        if (cached != null && cached.isOpen() && cached.isAuthenticated()) {
            try {
                // a stale session fails before the channel opens, so nothing reached stdout before the retry
                return exec(host, cached, script, timeout, stdout);
            } catch (StaleSession stale) {
                // the pooled connection died (sshd restarted, host rebooted): connect afresh, once
                discard(host, cached);
            }
        }
        try {
            return exec(host, session(host), script, timeout, stdout);
        } catch (StaleSession e) {
            throw new TransportFailure(TransportFailure.Kind.UNREACHABLE,
                    "the SSH session to " + host.name() + " broke: " + e.getMessage(), null, e);
        }
    }

    /** A session that could not even open a channel: safe to retry, nothing ran. */
    private static final class StaleSession extends Exception {
        StaleSession(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private CommandResult exec(HostTarget host, ClientSession session, String script, Duration timeout,
            java.io.OutputStream stdout) throws TransportFailure, StaleSession {
        long start = System.nanoTime();
        CappedOutput out = stdout == null ? new CappedOutput(maxOutput) : new CappedOutput(maxOutput, stdout);
        CappedOutput err = new CappedOutput(64 * 1024);
        ChannelExec channel;
        try {
            channel = session.createExecChannel(Shell.runScript(script, host.sudo()));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(config.connectTimeout());
        } catch (IOException e) {
            throw new StaleSession(e);
        }
        try (channel) {
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                discard(host, session);
                throw new TransportFailure(TransportFailure.Kind.TIMEOUT,
                        "the collector on " + host.name() + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (out.overflowed()) {
                throw new TransportFailure(TransportFailure.Kind.OUTPUT_TOO_LARGE,
                        "the collector on " + host.name() + " printed more than " + maxOutput + " bytes");
            }
            Integer status = channel.getExitStatus();
            return new CommandResult(status == null ? -1 : status, out.text(), err.text(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            discard(host, session);
            throw new TransportFailure(TransportFailure.Kind.UNREACHABLE,
                    "the SSH session to " + host.name() + " broke: " + e.getMessage(), null, e);
        }
    }

    @Override
    public void forget(long hostId) {
        sessions.entrySet().removeIf(e -> {
            if (e.getKey().hostId() == hostId) {
                closeQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }

    /** A new authenticated session to this host, replacing any cached one. */
    private ClientSession session(HostTarget host) throws TransportFailure {
        forget(host.hostId()); // an edited host (new address, new trusted key) must not reuse the old session
        List<KeyPair> identities = identities();
        KeyCheck check = new KeyCheck(host.trustedFingerprint());
        ClientSession session = null;
        try {
            ConnectFuture connecting = client().connect(host.sshUser(), host.address(), host.sshPort(),
                    AttributeRepository.ofKeyValuePair(KEY_CHECK, check), null);
            if (!connecting.await(config.connectTimeout())) {
                connecting.cancel();
                throw new TransportFailure(TransportFailure.Kind.UNREACHABLE, "no SSH connection to " + host.address()
                        + ":" + host.sshPort() + " within " + config.connectTimeout().toSeconds() + " s");
            }
            session = connecting.verify().getSession();
            identities.forEach(session::addPublicKeyIdentity);
            session.auth().verify(config.authTimeout());
            sessions.put(host, session);
            return session;
        } catch (TransportFailure e) {
            closeQuietly(session);
            throw e;
        } catch (IOException e) {
            closeQuietly(session);
            throw classify(host, check, e);
        }
    }

    /** Turns a failed connect or auth into what happened, the host-key verdict first. */
    private static TransportFailure classify(HostTarget host, KeyCheck check, IOException e) {
        String presented = check.presented.get();
        if (presented != null && check.trusted == null) {
            return new TransportFailure(TransportFailure.Kind.HOST_KEY_PENDING, "host key " + presented
                    + " is not trusted yet: an admin must confirm it before Linger sends anything", presented, e);
        }
        if (presented != null && !presented.equals(check.trusted)) {
            return new TransportFailure(TransportFailure.Kind.HOST_KEY_CHANGED, "HOST KEY CHANGED: " + host.address()
                    + " presented " + presented + " but " + check.trusted + " is trusted; all work on this host"
                    + " stops until an admin checks and trusts the new key", presented, e);
        }
        Throwable root = rootCause(e);
        if (presented != null) {
            return new TransportFailure(TransportFailure.Kind.AUTH, "SSH as " + host.sshUser() + "@" + host.address()
                    + " was refused: is Linger's public key in authorized_keys? (" + message(root) + ")", presented, e);
        }
        String what = root instanceof ConnectException ? "connection refused"
                : root instanceof NoRouteToHostException ? "no route to host"
                        : root instanceof UnknownHostException ? "unknown host name" : message(root);
        return new TransportFailure(TransportFailure.Kind.UNREACHABLE, "cannot reach " + host.address() + ":"
                + host.sshPort() + " over SSH: " + what, null, e);
    }

    private SshClient client() {
        SshClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = SshClient.setUpDefaultClient();
                    // the defaults trust any key and wait forever on a silent server: neither is acceptable
                    c.setServerKeyVerifier(SshTransport::verify);
                    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, config.connectTimeout());
                    CoreModuleProperties.AUTH_TIMEOUT.set(c, config.authTimeout());
                    CoreModuleProperties.NIO2_READ_TIMEOUT.set(c, config.sessionIdleTimeout().plusMinutes(1));
                    CoreModuleProperties.IDLE_TIMEOUT.set(c, config.sessionIdleTimeout());
                    CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(c, config.connectTimeout());
                    // A busy host's collection is megabytes: a wider window keeps the server sending, and
                    // AES-GCM runs on the CPU's AES instructions in the JDK, unlike ChaCha20 in pure Java.
                    CoreModuleProperties.WINDOW_SIZE.set(c, 16L * 1024 * 1024);
                    c.setCipherFactories(new ArrayList<>(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
                            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh)));
                    c.start();
                    client = c;
                }
            }
        }
        return c;
    }

    private static boolean verify(ClientSession session, java.net.SocketAddress remote, PublicKey serverKey) {
        KeyCheck check = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(KEY_CHECK);
        if (check == null) {
            return false;
        }
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        check.presented.set(fingerprint);
        return check.trusted != null && check.trusted.equals(fingerprint);
    }

    /** The private key pairs from the configured file, reloaded when the file changes. */
    private List<KeyPair> identities() throws TransportFailure {
        Path path = Path.of(config.privateKeyFile());
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            CachedKey cached = key;
            if (cached != null && cached.path.equals(path) && cached.modified.equals(modified)) {
                return cached.keys;
            }
            List<KeyPair> pairs = readKeyPairs(path);
            if (pairs.isEmpty()) {
                throw new TransportFailure(TransportFailure.Kind.SETUP, "no private key found in " + path);
            }
            key = new CachedKey(path, modified, List.copyOf(pairs));
            return key.keys;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TransportFailure(TransportFailure.Kind.SETUP, "Linger's SSH private key file " + path
                    + " does not exist (set LINGER_SSH_PRIVATE_KEY_FILE)", null, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportFailure(TransportFailure.Kind.SETUP, "cannot read Linger's SSH private key "
                    + path + ": " + message(rootCause(e)), null, e);
        }
    }

    /**
     * The key pairs in an OpenSSH or PEM private key file (no passphrase), as sshd reads them: ed25519 keys
     * through Bouncy Castle (see the pom).
     */
    static List<KeyPair> readKeyPairs(Path path) throws IOException, GeneralSecurityException {
        List<KeyPair> pairs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(path)) {
            SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(path.toString()), in,
                    FilePasswordProvider.EMPTY).forEach(pairs::add);
        }
        return pairs;
    }

    private void discard(HostTarget host, ClientSession session) {
        sessions.remove(host, session);
        closeQuietly(session);
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            try {
                session.close(true);
            } catch (RuntimeException e) {
                LOG.debug("closing an SSH session failed", e);
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @PreDestroy
    void stop() {
        sessions.values().forEach(SshTransport::closeQuietly);
        sessions.clear();
        if (client != null) {
            client.stop();
        }
    }
}
