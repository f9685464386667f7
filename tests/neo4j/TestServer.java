import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5 community server for the tests: an embedded DatabaseManagementService whose Bolt
 * connector listens on a free port of 127.0.0.1, authentication off.
 *
 * <p>Usage: {@code TestServer HOME PORT_FILE [PARENT_PID]}. The database lives in HOME. Once
 * Bolt listens, the port is written to PORT_FILE (atomically). The server stops on SIGTERM or
 * SIGINT, and by itself when the process PARENT_PID is gone, so that no server outlives the
 * test run that started it.
 */
public final class TestServer {
    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TestServer HOME PORT_FILE [PARENT_PID]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path portFile = Path.of(args[1]).toAbsolutePath();
        long parent = args.length > 2 ? Long.parseLong(args[2]) : -1;

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        HostnamePort bolt = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bolt == null) {
            System.err.println("the Bolt connector did not start");
            System.exit(1);
        }
        Object version = db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v", Map.of(),
                result -> result.next().get("v"));
        System.out.println("Neo4j " + version + " listening on bolt://127.0.0.1:" + bolt.getPort());
        writePort(portFile, bolt.getPort());

        if (parent > 0) {
            watch(parent);
        }
        stopped.await();
    }

    private static void writePort(Path portFile, int port) throws IOException {
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, Integer.toString(port), StandardCharsets.UTF_8);
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Exit (running the shutdown hook) once the process that started the server is gone. */
    private static void watch(long parent) throws InterruptedException {
        while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(1000);
        }
        System.exit(0);
    }
}
