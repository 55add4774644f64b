// jp's dedicated servers get their secrets over SSH before the bootstrap runs. The push (with
// umask 077) creates /etc/multicloud, and the bootstrap later points /etc/resolv.conf at a file in
// that folder: every process, not only root, must still read it. Run for real, in that order: the
// push command and the rendered bootstrap, as root, in a chroot of this machine's own root seen
// through an overlay whose writes land in a scratch folder (in a private mount namespace, so this
// machine's /etc never changes); then /etc/resolv.conf is read as `nobody`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { renderBootstrap } from "../../components/host/bootstrap";
import { hostPlan } from "../../components/host/role-files";
import { USE_UNBOUND_TOOL } from "../../components/host/scripts";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import { secretsPushCommand } from "../../components/sakura/site/secrets-push";
import { loadStack } from "./support";

// On tmpfs: a mount of its own, so it is not inside the overlay's lower layer (this root).
const work = mkdtempSync("/dev/shm/host-resolv-");
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * Programs that would reach the network or the init system, replaced inside the chroot only: the
 * test runs as root already (sudo), packages count as installed (apt-get), systemd is absent
 * (systemctl), and unbound is taken to answer (dig, used only by the wait for unbound).
 */
const STAND_INS: Record<string, string> = {
  sudo: 'exec "$@"',
  "apt-get": 'echo "apt-get $*" >>/var/log/stand-ins.log',
  systemctl: 'echo "systemctl $*" >>/var/log/stand-ins.log',
  dig: "exit 0",
};

test("jp: after the secrets push and the bootstrap, a non-root process reads /etc/resolv.conf", () => {
  const spec = loadStack("jp");
  const plan = hostPlan(spec, "app", siteFacts(spec));
  // The bootstrap's own first commands, up to the one that points resolv.conf at unbound.
  const upToResolver = plan.commands.slice(0, plan.commands.indexOf(USE_UNBOUND_TOOL) + 1);
  assert.ok(upToResolver.length > 0 && upToResolver.length < plan.commands.length);
  writeFileSync(join(work, "bootstrap.sh"), renderBootstrap({ ...plan, commands: upToResolver }));
  writeFileSync(join(work, "push.sh"), secretsPushCommand(PUSHED_SECRETS_DIR));
  writeFileSync(
    join(work, "secrets.txt"),
    "multicloud-jp-consul-gossip-key c2VjcmV0\nmulticloud-jp-consul-agent-token 00000000-0000-4000-8000-000000000000\n",
  );

  const merged = join(work, "root");
  const steps = [
    "set -eu",
    `mkdir -p ${work}/upper ${work}/work ${merged}`,
    `mount -t overlay overlay -o lowerdir=/,upperdir=${work}/upper,workdir=${work}/work ${merged}`,
    `mount --rbind /dev ${merged}/dev`,
    `mount -t proc proc ${merged}/proc`,
    `mkdir -p ${merged}/run/test ${merged}/opt/stand-ins`,
    `mount -t tmpfs tmpfs ${merged}/run/test`,
    `cp ${work}/bootstrap.sh ${work}/push.sh ${work}/secrets.txt ${merged}/run/test/`,
    ...Object.entries(STAND_INS).flatMap(([name, body]) => [
      `printf '#!/bin/sh\\n%s\\n' '${body}' >${merged}/opt/stand-ins/${name}`,
      `chmod 0755 ${merged}/opt/stand-ins/${name}`,
    ]),
    // Whatever this machine has there now, the host starts without the layer's folder.
    `rm -rf ${merged}/etc/multicloud`,
    `export PATH=/opt/stand-ins:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    // 1. The push, as the site runs it over SSH (the secrets on its standard input).
    `chroot ${merged} sh -c "$(cat ${work}/push.sh)" <${work}/secrets.txt`,
    `echo "after push: $(chroot ${merged} stat -c %a /etc/multicloud)"`,
    // 2. The bootstrap, as the site runs it (sudo bash -s, the script on standard input).
    `chroot ${merged} bash -s <${work}/bootstrap.sh >${work}/bootstrap.log 2>&1 || { cat ${work}/bootstrap.log; exit 1; }`,
    // 3. Anyone reads the resolver configuration; nobody but root reads the secrets.
    `echo "resolv.conf -> $(chroot ${merged} readlink /etc/resolv.conf)"`,
    `chroot --userspec=nobody:nogroup ${merged} cat /etc/resolv.conf`,
    `chroot --userspec=nobody:nogroup ${merged} getent ahostsv4 localhost >/dev/null && echo "nobody resolves localhost"`,
    `if chroot --userspec=nobody:nogroup ${merged} ls ${PUSHED_SECRETS_DIR} 2>/dev/null; then echo "secrets readable"; exit 1; fi`,
    `echo "secrets: $(chroot ${merged} stat -c %a ${PUSHED_SECRETS_DIR}) $(chroot ${merged} stat -c %a ${PUSHED_SECRETS_DIR}/multicloud-jp-consul-agent-token)"`,
  ];
  const result = spawnSync(
    "unshare",
    ["--mount", "--propagation", "private", "bash", "-c", steps.join("\n")],
    { encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" },
  );
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, output);
  // The push made the folder root-only; the bootstrap left only the secrets private.
  assert.match(output, /^after push: 700$/m);
  assert.match(output, /^resolv\.conf -> \/etc\/multicloud\/resolv\.conf$/m);
  assert.match(output, /^nameserver 127\.0\.0\.1$/m);
  assert.match(output, /^options edns0 trust-ad timeout:1 attempts:5$/m);
  assert.match(output, /^nobody resolves localhost$/m);
  assert.match(output, /^secrets: 700 600$/m);
});
