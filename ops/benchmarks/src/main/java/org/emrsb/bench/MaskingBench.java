package org.emrsb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.masking.MaskResult;
import org.emrsb.core.masking.MaskingPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The paper profile on the paper's three flat Table 1 records, in records per second on one thread
 * (issue 4's target: at least 200,000 per core). {@code mask} is the policy alone on parsed records;
 * {@code parseMaskWrite} adds reading and writing the JSON line, as {@code ops/emrsb mask} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskingBench {

    private static final String[] TABLE_1 = {
        "{\"name\":\"YangYang\",\"age\":60,\"idNumber\":\"533527195809210238\",\"address\":\"Chaoyang park, chaoyang district, Beijing\",\"disease\":\"flu\"}",
        "{\"name\":\"Sihua Wu\",\"age\":24,\"idNumber\":\"500101199310020723\",\"address\":\"Chongwen road, nanan district, chongqing\",\"disease\":\"stomach trouble\"}",
        "{\"name\":\"Qiang Zhang\",\"age\":43,\"idNumber\":\"620503197512200856\",\"address\":\"Mai ji district, tianshui city, gansu province\",\"disease\":\"headache\"}",
    };

    private final ObjectMapper mapper = new ObjectMapper();
    private MaskingPolicy policy;
    private ObjectNode[] records;

    @Setup
    public void setUp() throws Exception {
        policy = MaskingPolicy.paper();
        records = new ObjectNode[TABLE_1.length];
        for (int i = 0; i < TABLE_1.length; i++) {
            records[i] = (ObjectNode) mapper.readTree(TABLE_1[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void mask(Blackhole blackhole) {
        for (ObjectNode record : records) {
            MaskResult result = policy.mask(record);
            blackhole.consume(result);
        }
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void parseMaskWrite(Blackhole blackhole) throws Exception {
        for (String line : TABLE_1) {
            MaskResult result = policy.mask((ObjectNode) mapper.readTree(line));
            blackhole.consume(mapper.writeValueAsString(result.masked()));
        }
    }
}
