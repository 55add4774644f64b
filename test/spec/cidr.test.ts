import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cidrProblem,
  contains,
  formatCidr,
  hostAddress,
  isPrivate,
  overlaps,
  parseCidr,
  subnet,
} from "../../components/spec/cidr";

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
};

describe("cidr", () => {
  it("parses and formats round trip", () => {
    for (const text of [
      "10.0.0.0/8",
      "10.20.0.0/16",
      "172.16.0.16/28",
      "0.0.0.0/0",
      "192.168.1.7/32",
    ]) {
      assert.equal(formatCidr(cidr(text)), text);
    }
  });

  it("rejects malformed blocks and host bits", () => {
    for (const text of [
      "10.0.0.0",
      "10.0.0/16",
      "256.0.0.0/8",
      "10.0.0.0/33",
      "10.0.0.01/8",
      "a.b.c.d/8",
      "10.0.0.1/16",
    ]) {
      assert.equal(parseCidr(text), undefined, text);
    }
    assert.match(cidrProblem("10.0.0.1/16") ?? "", /did you mean 10\.0\.0\.0\/16/);
  });

  it("overlap and containment", () => {
    assert.ok(overlaps(cidr("10.12.0.0/14"), cidr("10.15.255.0/24")));
    assert.ok(!overlaps(cidr("10.12.0.0/14"), cidr("10.16.0.0/20")));
    assert.ok(contains(cidr("10.0.0.0/8"), cidr("10.20.0.0/16")));
    assert.ok(!contains(cidr("10.20.0.0/16"), cidr("10.0.0.0/8")));
  });

  it("cuts subnets and host addresses", () => {
    assert.equal(formatCidr(subnet(cidr("10.20.0.0/16"), 20, 5)), "10.20.80.0/20");
    assert.throws(() => subnet(cidr("10.20.0.0/16"), 20, 16), /holds 16/);
    assert.equal(hostAddress(cidr("10.20.64.0/20"), 16), "10.20.64.16");
    assert.throws(() => hostAddress(cidr("10.0.0.0/30"), 3), /no host number 3/);
  });

  it("knows the private ranges", () => {
    assert.ok(isPrivate(cidr("172.31.0.0/16")));
    assert.ok(!isPrivate(cidr("172.32.0.0/16")));
    assert.ok(!isPrivate(cidr("8.8.8.0/24")));
  });
});
