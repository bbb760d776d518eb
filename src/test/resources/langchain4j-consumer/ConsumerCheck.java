import io.llmgateway.langchain4j.GatewayChatModel;
import io.llmgateway.langchain4j.LangChain4jDemo;
import java.util.List;

/**
 * Run by LangChain4jJarIT with the java source launcher, on exactly the classpath a consumer of
 * io.llmgateway:llm-gateway-langchain4j gets: reports which server-side classes are loadable, then runs the demo.
 */
public class ConsumerCheck {
    public static void main(String[] args) throws Exception {
        for (String name : List.of("jakarta.servlet.Servlet", "org.glassfish.jersey.server.ResourceConfig",
                "org.glassfish.jersey.servlet.ServletContainer", "io.llmgateway.GatewayBootstrap",
                "io.llmgateway.openai.ChatCompletionsServlet", "io.llmgateway.demo.DemoUpstreamServlet")) {
            try {
                Class.forName(name, false, ConsumerCheck.class.getClassLoader());
                System.out.println("LOADABLE " + name);
            } catch (ClassNotFoundException e) {
                System.out.println("absent " + name);
            }
        }
        // A model built through the builder's inherited setters, from outside the package
        System.out.println("BUILT " + GatewayChatModel.builder().modelName("demo-model").temperature(0.2).build());
        LangChain4jDemo.main(args);
    }
}
