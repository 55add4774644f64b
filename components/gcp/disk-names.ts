// Names of the GCE disks a GCP site makes. Pure, so that a rebuild of a lost region can name the
// disks whose snapshots it restores from without building anything.

/** The data disk of a MySQL host: uk-mysql-1-data (region name, host name). */
export function dataDiskName(regionName: string, hostName: string): string {
  return `${regionName}-${hostName}-data`;
}
