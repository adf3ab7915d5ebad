package dev.linger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.security.eddsa.bouncycastle.BouncyCastleEdDSASupport;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jcajce.interfaces.EdDSAPublicKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ed25519 keys through Bouncy Castle, the way Linger reads its own key ({@link SshTransport#readKeyPairs}) and
 * pins a host's key ({@link KeyUtils#getFingerPrint}): keys that OpenSSH made load, sign and verify, and keys sshd
 * makes are ones OpenSSH reads. The lab tests (LabCollectionTest, LiveSocketsLabTest) do the same over real SSH.
 */
class Ed25519KeysTest {

    private static final byte[] DATA = "collect 198.18.1.2".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static ClassLoader previous;

    /**
     * sshd creates its Bouncy Castle provider through the thread's context class loader. After a {@code @QuarkusTest}
     * in the same JVM that is still Quarkus' loader, whose BC classes this test's sshd cannot cast; the application
     * has one loader, so point the context at this test's own.
     */
    @BeforeAll
    static void oneClassLoader() {
        previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Ed25519KeysTest.class.getClassLoader());
        SshTransport.keepBouncyCastleToSshd(); // as the application does before it first uses sshd
    }

    @AfterAll
    static void restore() {
        Thread.currentThread().setContextClassLoader(previous);
    }

    @Test
    void bouncyCastleGivesEd25519AndTheJdkKeepsTheCiphers() throws Exception {
        assertEquals("BC", SecurityUtils.getSignature("EdDSA").getProvider().getName());
        assertEquals("BC", SecurityUtils.getKeyFactory("Ed25519").getProvider().getName());
        // the bytes of a collection are still encrypted by the JDK's AES-GCM, on the CPU's AES instructions
        assertEquals("SunJCE", SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName());
    }

    @Test
    void sshdUsesBouncyCastleForEd25519AndNetI2pIsGone() {
        assertTrue(SecurityUtils.isEDDSACurveSupported(), "ed25519 is supported");
        assertInstanceOf(BouncyCastleEdDSASupport.class, SecurityUtils.getEdDSASupport().orElseThrow());
        assertTrue(SecurityUtils.isBouncyCastleRegistered(), "sshd registered Bouncy Castle");
        assertFalse(SecurityUtils.isNetI2pCryptoEdDSARegistered(), "net.i2p's provider is not registered");
        assertEquals(null, java.security.Security.getProvider("BC"),
                "sshd's Bouncy Castle is its own, not in the JVM-wide list another class loader would share");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.i2p.crypto.eddsa.EdDSAKey"),
                "net.i2p.crypto:eddsa is off the class path (sshd would prefer it)");
    }

    @Test
    void aKeyOpenSshMadeLoadsSignsAndVerifies() throws Exception {
        Path key = dir.resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "linger-test", "-f", key.toString());

        List<KeyPair> pairs = SshTransport.readKeyPairs(key);

        assertEquals(1, pairs.size());
        KeyPair pair = pairs.get(0);
        assertEquals(KeyPairProvider.SSH_ED25519, KeyUtils.getKeyType(pair));
        assertInstanceOf(EdDSAPrivateKey.class, pair.getPrivate());
        assertInstanceOf(EdDSAPublicKey.class, pair.getPublic());

        // the public half is the one in id_ed25519.pub, and its fingerprint is the one ssh-keygen shows,
        // which is what an admin compares and what the host-key check pins
        PublicKey published = PublicKeyEntry.parsePublicKeyEntry(Files.readString(Path.of(key + ".pub")).trim())
                .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        assertTrue(KeyUtils.compareKeys(published, pair.getPublic()), "the .pub file holds the same key");
        String shown = run("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"); // "256 SHA256:... linger-test (ED25519)"
        assertEquals(shown.split(" ")[1], KeyUtils.getFingerPrint(pair.getPublic()));

        assertSignsAndVerifies(pair, published);
    }

    @Test
    void aKeySshdMakesIsOneOpenSshReads() throws Exception {
        KeyPair made = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        assertInstanceOf(EdDSAPrivateKey.class, made.getPrivate());
        Path key = dir.resolve("made_ed25519");
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(made, "made-by-sshd", null, out);
        }
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        // OpenSSH derives the public key from the private file sshd wrote
        String derived = run("ssh-keygen", "-y", "-f", key.toString()).trim();
        PublicKey openSshPublic = PublicKeyEntry.parsePublicKeyEntry(derived)
                .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        assertTrue(KeyUtils.compareKeys(made.getPublic(), openSshPublic), "OpenSSH reads the key sshd wrote");

        KeyPair loaded = SshTransport.readKeyPairs(key).get(0);
        assertInstanceOf(EdDSAPrivateKey.class, loaded.getPrivate());
        assertTrue(KeyUtils.compareKeys(made.getPublic(), loaded.getPublic()), "and so does Linger");
        // what Linger signs with the key it read, the public half sshd made verifies: the same private key
        assertSignsAndVerifies(loaded, made.getPublic());
    }

    /** Signs as the client signs its authentication, verifies as a host key's signature is verified. */
    private static void assertSignsAndVerifies(KeyPair pair, PublicKey verifyingKey) throws Exception {
        Signature signer = BuiltinSignatures.ed25519.create();
        signer.initSigner(null, pair.getPrivate());
        signer.update(null, DATA);
        byte[] signature = signer.sign(null);
        assertEquals(64, signature.length, "an ed25519 signature is 64 bytes");

        Signature verifier = BuiltinSignatures.ed25519.create();
        verifier.initVerifier(null, verifyingKey);
        verifier.update(null, DATA);
        assertTrue(verifier.verify(null, signature), "the signature verifies with the public key");

        byte[] changed = DATA.clone();
        changed[0] ^= 1;
        Signature other = BuiltinSignatures.ed25519.create();
        other.initVerifier(null, verifyingKey);
        other.update(null, changed);
        assertFalse(other.verify(null, signature), "a signature over other data does not verify");

        KeyPair stranger = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Signature wrongKey = BuiltinSignatures.ed25519.create();
        wrongKey.initVerifier(null, stranger.getPublic());
        wrongKey.update(null, DATA);
        assertFalse(wrongKey.verify(null, signature), "another key's public half does not verify it");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
