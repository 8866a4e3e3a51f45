import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 only. DynamoDB Local has no bind-address option
 * and its Jetty connector listens on every interface; this builds the server exactly as
 * DynamoDB Local's own main() does (same command-line arguments), then sets the connector's
 * host to loopback before starting it. Run in source-file mode (Java 11+):
 *
 *   java -Djava.library.path=LIB/DynamoDBLocal_lib -cp "LIB/DynamoDBLocal.jar:LIB/DynamoDBLocal_lib/*" \
 *     DynamoDBLocalLoopback.java -inMemory -port 8000 -disableTelemetry
 */
public class DynamoDBLocalLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // The Jetty server is a private field with no accessor; the classpath is an unnamed
    // module, so plain reflection may open it.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost("127.0.0.1");
        bound++;
      }
    }
    // Refuse to start rather than silently listen on every interface.
    if (bound == 0) throw new IllegalStateException("no Jetty ServerConnector to bind to 127.0.0.1");
    // safeStart() starts Jetty and lets a bind failure (port taken) escape, so the process
    // exits non-zero instead of lingering with a stopped server.
    proxy.safeStart();
    // A test run that crashes never stops its emulator: exit when the process that started us
    // goes away, so no orphaned JVM keeps a port and memory.
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    proxy.join();
  }
}
