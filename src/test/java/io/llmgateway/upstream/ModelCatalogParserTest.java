package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogParserTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void openAiListGivesOneModelPerEntryWithTheEntryKeptRaw() throws Exception {
        // given
        JsonNode body = json("""
                {"object":"list","data":[
                  {"id":"gpt-4.1","object":"model","created":1700000000,"owned_by":"openai"},
                  {"id":"gpt-4o-mini","object":"model","created":1700000001,"owned_by":"openai"}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("gpt-4.1", "gpt-4o-mini");
        assertThat(models.get(0).contextWindow()).isNull();
        assertThat(models.get(0).supportedApis()).isEmpty();
        assertThat(models.get(0).raw()).isEqualTo(body.get("data").get(0));
    }

    @Test
    void liteLlmModelInfoUsesLiteLlmParamsModelAsIdAndReadsLimits() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[{"model_name":"gpt-4.1","litellm_params":{"model":"oca/gpt-4.1"},
                  "model_info":{"id":"9f2c1e","supported_api_list":["CHAT_COMPLETIONS","RESPONSES"],
                                "context_window":1047576,"max_output_tokens":32768}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).singleElement().satisfies(model -> {
            assertThat(model.id()).isEqualTo("oca/gpt-4.1");
            assertThat(model.contextWindow()).isEqualTo(1047576);
            assertThat(model.maxOutputTokens()).isEqualTo(32768);
            assertThat(model.supportedApis()).containsExactly("CHAT_COMPLETIONS", "RESPONSES");
            assertThat(model.raw().path("model_name").asText()).isEqualTo("gpt-4.1");
        });
    }

    @Test
    void liteLlmTokenLimitNamesAreAcceptedAndNullsIgnored() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[
                  {"litellm_params":{"model":"a"},"model_info":{"max_input_tokens":128000,"max_tokens":4096}},
                  {"litellm_params":{"model":"b"},"model_info":{"context_window":null,"max_tokens":null}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models.get(0).contextWindow()).isEqualTo(128000);
        assertThat(models.get(0).maxOutputTokens()).isEqualTo(4096);
        assertThat(models.get(1).contextWindow()).isNull();
        assertThat(models.get(1).maxOutputTokens()).isNull();
    }

    @Test
    void modelsWhoseApiListLacksChatCompletionsAreLeftOut() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[
                  {"litellm_params":{"model":"oca/text-embedding-3"},"model_info":{"supported_api_list":["EMBEDDINGS"]}},
                  {"litellm_params":{"model":"oca/codex"},"model_info":{"supported_api_list":["RESPONSES"]}},
                  {"litellm_params":{"model":"oca/gpt-4.1"},"model_info":{"supported_api_list":["CHAT_COMPLETIONS"]}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("oca/gpt-4.1");
    }

    @Test
    void anEmptyOrMissingApiListMeansEverythingIsSupported() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[
                  {"litellm_params":{"model":"empty"},"model_info":{"supported_api_list":[]}},
                  {"litellm_params":{"model":"missing"},"model_info":{}},
                  {"litellm_params":{"model":"no-info"}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("empty", "missing", "no-info");
    }

    @Test
    void duplicateIdsKeepTheFirstEntryAndTheCatalogOrder() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[
                  {"litellm_params":{"model":"b"},"model_info":{"context_window":1000}},
                  {"litellm_params":{"model":"a"}},
                  {"litellm_params":{"model":"b"},"model_info":{"context_window":2000}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("b", "a");
        assertThat(models.get(0).contextWindow()).isEqualTo(1000);
    }

    @Test
    void entriesWithoutAnyNameAreSkippedAndModelNameIsTheLastResort() throws Exception {
        // given
        JsonNode body = json("""
                {"data":["junk", {"object":"model"}, {"id":"  "}, {"model_name":"only-a-name"}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("only-a-name");
    }

    @Test
    void theDeploymentHashInModelInfoIsNeverTakenAsTheId() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[{"model_name":"gpt","litellm_params":{"model":"oca/gpt"},"model_info":{"id":"e8d4"}}]}""");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).extracting(ModelInfo::id).containsExactly("oca/gpt");
    }

    @Test
    void theParsedEntryIsACopySoLaterChangesToTheBodyDoNotLeakIn() throws Exception {
        // given
        JsonNode body = json("""
                {"data":[{"id":"gpt","owned_by":"me"}]}""");
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // when
        ((ObjectNode) body.get("data").get(0)).put("owned_by", "changed");

        // then
        assertThat(models.get(0).raw().path("owned_by").asText()).isEqualTo("me");
    }

    @Test
    void aBodyThatIsNotACatalogIsRejectedSayingWhatWasExpected() throws Exception {
        // given
        List<JsonNode> bodies = List.of(json("[]"), json("\"<html>\""), json("{\"data\":{}}"), json("{}"));

        // when / then
        for (JsonNode body : bodies) {
            assertThatThrownBy(() -> ModelCatalogParser.parse(body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"data\" array");
        }
        assertThatThrownBy(() -> ModelCatalogParser.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got no body");
    }

    @Test
    void anEmptyDataArrayIsAnEmptyCatalog() throws Exception {
        // given
        JsonNode body = json("{\"object\":\"list\",\"data\":[]}");

        // when
        List<ModelInfo> models = ModelCatalogParser.parse(body);

        // then
        assertThat(models).isEmpty();
    }
}
