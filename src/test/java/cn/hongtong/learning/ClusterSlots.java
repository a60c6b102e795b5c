package cn.hongtong.learning;

import cn.hongtong.testsupport.RedisNodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local Redis Cluster's slots, read and moved with redis-cli, as an operator's resharding does. */
final class ClusterSlots {

    private ClusterSlots() {}

    static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || out.startsWith("ERR")) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
        return out;
    }

    /** The masters' ports. */
    static List<Integer> masters() throws IOException, InterruptedException {
        List<Integer> out = new ArrayList<>();
        for (String line : cli(RedisNodes.clusterPort(), "CLUSTER", "NODES").split("\\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                out.add(port(f[1]));
            }
        }
        return out;
    }

    /** The port of the master that holds a slot. */
    static int owner(int slot) throws IOException, InterruptedException {
        for (String line : cli(RedisNodes.clusterPort(), "CLUSTER", "NODES").split("\\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;
                }
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (lo <= slot && slot <= hi) {
                    return port(f[1]);
                }
            }
        }
        throw new IllegalStateException("no master holds slot " + slot);
    }

    /** Moves a slot and its keys from one master to another (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE). */
    static void move(int slot, int from, int to) throws IOException, InterruptedException {
        String fromId = cli(from, "CLUSTER", "MYID").trim();
        String toId = cli(to, "CLUSTER", "MYID").trim();
        String s = Integer.toString(slot);
        cli(to, "CLUSTER", "SETSLOT", s, "IMPORTING", fromId);
        cli(from, "CLUSTER", "SETSLOT", s, "MIGRATING", toId);
        while (true) {
            List<String> keys = new ArrayList<>();
            for (String key : cli(from, "CLUSTER", "GETKEYSINSLOT", s, "1000").split("\\n")) {
                if (!key.isBlank()) {
                    keys.add(key.trim());
                }
            }
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate =
                    new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(to), "", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            cli(from, migrate.toArray(String[]::new));
        }
        for (int port : masters()) {
            cli(port, "CLUSTER", "SETSLOT", s, "NODE", toId);
        }
    }

    private static int port(String address) {
        String hostPort = address.split("@")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
