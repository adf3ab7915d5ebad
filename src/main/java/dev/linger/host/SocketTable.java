package dev.linger.host;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.linger.collect.CollectorOutput.NotableSocket;

/** One page of the notable sockets, sorted by a column a person chose. */
public final class SocketTable {

    public static final int PAGE_SIZE = 100;

    private static final Comparator<Integer> NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());
    private static final Map<String, Comparator<NotableSocket>> COLUMNS = Map.of(
            "state", Comparator.comparing(NotableSocket::state),
            "local", Comparator.comparing(NotableSocket::local),
            "peer", Comparator.comparing(NotableSocket::peer),
            "recvq", Comparator.comparingLong(NotableSocket::recvQ),
            "sendq", Comparator.comparingLong(NotableSocket::sendQ),
            "timer", Comparator.comparing(s -> s.timer() == null ? "" : s.timer()),
            "owner", Comparator.comparing(s -> s.owner() == null ? null : s.owner().pid(), NULLS_LAST));

    /**
     * {@code netns}: the namespace the table lists; its links keep it ({@code ?ns=}) and lead back to it.
     * {@code group}: the group whose samples alone it lists ({@link GroupRow#id()}), null for every group's.
     */
    public record Page(List<NotableSocket> rows, String sort, boolean descending, int page, int pages, int total,
            long netns, String group) {

        public Page(List<NotableSocket> rows, String sort, boolean descending, int page, int pages, int total,
                long netns) {
            this(rows, sort, descending, page, pages, total, netns, null);
        }

        /** The id of the table's heading, where its sort and page links land. */
        public String anchor() {
            return netns == 0 ? "sockets" : "sockets-" + netns;
        }

        /** The link of a column's heading: sorts by it, ascending first, or turns the order round. */
        public String sortLink(String column) {
            return link(column, sort.equals(column) && !descending ? "desc" : "asc", 1);
        }

        public String pageLink(int to) {
            return link(sort, descending ? "desc" : "asc", to);
        }

        private String link(String column, String direction, int to) {
            return "?" + (netns == 0 ? "" : "ns=" + netns + "&") + (group == null ? "" : "group=" + group + "&")
                    + "sort=" + column + "&dir=" + direction + (to > 1 ? "&page=" + to : "") + "#" + anchor();
        }

        /** Back to the samples of every group of the namespace. */
        public String everyGroupLink() {
            return "?" + (netns == 0 ? "" : "ns=" + netns) + "#" + anchor();
        }

        public int from() {
            return total == 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
        }

        public int previous() {
            return Math.max(1, page - 1);
        }

        public int next() {
            return Math.min(pages, page + 1);
        }

        public int to() {
            return from() == 0 ? 0 : from() + rows.size() - 1;
        }
    }

    private SocketTable() {
    }

    /** Unknown columns fall back to the default order (Recv-Q, largest first); pages are clamped. */
    public static Page page(List<NotableSocket> sockets, String sort, String dir, Integer page) {
        return page(sockets, sort, dir, page, 0);
    }

    public static Page page(List<NotableSocket> sockets, String sort, String dir, Integer page, long netns) {
        return page(sockets, sort, dir, page, netns, null);
    }

    public static Page page(List<NotableSocket> sockets, String sort, String dir, Integer page, long netns,
            String group) {
        String column = sort == null ? "recvq" : sort.toLowerCase(Locale.ROOT);
        if (!COLUMNS.containsKey(column)) {
            column = "recvq";
        }
        boolean descending = dir == null ? column.endsWith("q") : !"asc".equalsIgnoreCase(dir);
        Comparator<NotableSocket> order = COLUMNS.get(column);
        if (descending) {
            order = order.reversed();
        }
        int total = sockets.size();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = page == null ? 1 : Math.max(1, Math.min(pages, page));
        List<NotableSocket> rows = sockets.stream().sorted(order).skip((long) (current - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE).toList();
        return new Page(rows, column, descending, current, pages, total, netns, group);
    }
}
