// The front config's trust in the load balancer, against the ranges the clouds document: the ALB's
// nodes in the us VPC's public subnets, Google's front ends for uk; none on jp (DNS round robin).
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderRegionHosts } from "../../components/host";
import { loadStack } from "./support";

function nginxConf(stack: "jp" | "us" | "uk"): string {
  const file = renderRegionHosts(loadStack(stack)).nginx?.files.find(
    (candidate) => candidate.path === "/etc/nginx/conf.d/multicloud.conf",
  );
  assert.ok(file);
  return file.content;
}

test("us trusts the ALB's public subnets for the client address, and passes its scheme", () => {
  const conf = nginxConf("us");
  assert.deepEqual(conf.match(/^set_real_ip_from .*$/gm), [
    "set_real_ip_from 10.20.0.0/20;",
    "set_real_ip_from 10.20.16.0/20;",
    "set_real_ip_from 10.20.32.0/20;",
  ]);
  assert.match(conf, /^real_ip_header X-Forwarded-For;$/m);
  assert.match(conf, /^real_ip_recursive on;$/m);
  assert.match(conf, /^ {8}proxy_set_header X-Forwarded-Proto \$client_scheme;$/m);
  assert.match(conf, /^ {8}proxy_set_header X-Real-IP \$client_address;$/m);
});

test("uk trusts Google's front ends, and takes the client before the load balancer's address", () => {
  const conf = nginxConf("uk");
  assert.match(
    conf,
    /^geo \$remote_addr \$from_load_balancer \{\n {4}default 0;\n {4}130\.211\.0\.0\/22 1;\n {4}35\.191\.0\.0\/16 1;\n\}$/m,
  );
  assert.match(conf, /^ {8}proxy_set_header X-Forwarded-Proto \$client_scheme;$/m);
  assert.doesNotMatch(conf, /set_real_ip_from/);
});

test("jp believes no forwarded header: clients connect to nginx directly", () => {
  const conf = nginxConf("jp");
  assert.doesNotMatch(conf, /set_real_ip_from|geo |http_x_forwarded/);
  assert.match(conf, /^map \$remote_addr \$client_scheme \{\n {4}default \$scheme;\n\}$/m);
});
