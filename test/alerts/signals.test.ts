// The contract of the host signals, as the host layer publishes them: names, units and who sends
// them. Changing it breaks every host that publishes, so it is pinned here, word for word.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HOST_NAMESPACE, HOST_SIGNALS, regionSignals } from "../../components/alerts/signals";

describe("host signals", () => {
  it("are published under one CloudWatch namespace and as custom Cloud Monitoring metrics", () => {
    assert.equal(HOST_NAMESPACE, "Multicloud/Hosts");
    assert.deepEqual(
      Object.values(HOST_SIGNALS).map((s) => [
        s.id,
        s.publisher,
        s.cloudWatch.metricName,
        s.cloudWatch.unit,
        s.cloudMonitoring.type,
        s.cloudMonitoring.valueType,
        s.cloudMonitoring.unit,
      ]),
      [
        [
          "consul-leader",
          "util",
          "ConsulLeader",
          "Count",
          "custom.googleapis.com/multicloud/consul/leader",
          "INT64",
          "1",
        ],
        [
          "mysql-replication-broken",
          "mysql",
          "MysqlReplicationBroken",
          "Count",
          "custom.googleapis.com/multicloud/mysql/replication_broken",
          "INT64",
          "1",
        ],
        [
          "mysql-replica-lag",
          "mysql",
          "MysqlReplicaLagSeconds",
          "Seconds",
          "custom.googleapis.com/multicloud/mysql/replica_lag",
          "DOUBLE",
          "s",
        ],
      ],
    );
  });

  it("are asked of MySQL hosts only where the region runs them; Consul always", () => {
    assert.deepEqual(
      regionSignals(0).map((s) => s.id),
      ["consul-leader"],
    );
    assert.deepEqual(
      regionSignals(2).map((s) => s.id),
      ["consul-leader", "mysql-replication-broken", "mysql-replica-lag"],
    );
  });
});
