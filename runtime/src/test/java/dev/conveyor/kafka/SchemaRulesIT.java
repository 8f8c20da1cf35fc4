package dev.conveyor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaRulesIT {

    @Test
    void givenANewTopicWhenItsSchemasAreProvisionedThenTheRegistryRefusesAVersionItsReadersCouldNotFollow() throws Exception {
        // given a topic whose value subject the registry has never seen
        LocalStack stack = LocalStack.shared();
        ClusterConfig cluster = new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());
        SchemaRules rules = new SchemaRules(cluster);
        String topic = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> tasks = new TopicDescriptor<>(topic, TaskRequest.class, Map.of());

        // when the schemas are provisioned, twice (every start does it)
        rules.ensure(List.of(tasks));
        rules.ensure(List.of(tasks));

        // then the subject has the BACKWARD rule: a version requiring a field that records already written lack is refused,
        // and one that only adds an optional field is accepted
        assertThat(rules.ruleOf(topic + "-value")).isEqualTo("BACKWARD");
        Schema breaking = SchemaBuilder.record("TaskRequest").namespace("dev.conveyor.schema").fields()
                .requiredString("id").requiredString("mustHave").endRecord();
        assertThat(registerVersion(cluster, topic + "-value", breaking)).isEqualTo(409);
        List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field field : TaskRequest.getClassSchema().getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("priority", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)),
                null, Schema.Field.NULL_DEFAULT_VALUE));
        Schema evolved = Schema.createRecord("TaskRequest", null, "dev.conveyor.schema", false, fields);
        assertThat(registerVersion(cluster, topic + "-value", evolved)).isEqualTo(200);
    }

    private static int registerVersion(ClusterConfig cluster, String subject, Schema schema) throws Exception {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.putObject("content").put("content", schema.toString()).put("contentType", "application/json");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(cluster.registryApiUrl() + "/groups/default/artifacts/" + subject + "/versions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
