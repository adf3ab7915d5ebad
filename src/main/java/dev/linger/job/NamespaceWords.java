package dev.linger.job;

import dev.linger.i18n.JobMessages;

/**
 * The sentences a job stores when its network namespace stops it, from {@link JobMessages} (English stored, as the API
 * and audit log show it; {@link JobTexts} says them again in the reader's language from the same keys).
 */
interface NamespaceWords {

    String gone(String where, long inode);

    String replaced(String where, long inode, long now);

    String rebooted(String where, long inode);

    String unknown(String where, long inode, int code);

    String lost(String where, long inode);

    String persistRefused(String where);

    static NamespaceWords of(JobMessages m) {
        return new NamespaceWords() {
            public String gone(String where, long inode) {
                return m.netnsGone(where, inode);
            }

            public String replaced(String where, long inode, long now) {
                return m.netnsReplaced(where, inode, now);
            }

            public String rebooted(String where, long inode) {
                return m.netnsRebooted(where, inode);
            }

            public String unknown(String where, long inode, int code) {
                return m.netnsUnknown(where, inode, code);
            }

            public String lost(String where, long inode) {
                return m.netnsLost(where, inode);
            }

            public String persistRefused(String where) {
                return m.netnsPersistRefused(where);
            }
        };
    }
}
