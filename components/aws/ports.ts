// The ports the region's hosts speak on, in one place so that security groups, health checks and
// the load balancer agree.

export const ports = {
  http: 80,
  https: 443,
  /** The app servers' HTTP port, behind nginx. */
  app: 8080,
  mysql: 3306,
  memcached: 11211,
  /** Consul server RPC: agents to servers, and server to server (also across datacenters). */
  consulRpc: 8300,
  /** Consul LAN gossip (Serf), TCP and UDP, between every agent of the datacenter. */
  consulLan: 8301,
  /** Consul WAN gossip (Serf), TCP and UDP, between the servers of federated datacenters. */
  consulWan: 8302,
} as const;
